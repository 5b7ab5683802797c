/** The default set of importers, in sniffing order: binary signatures first, loose text (CSV) last. */
import { AecgImporter } from './aecg'
import { CsvImporter } from './csv'
import { ImporterRegistry, type RegistryOptions } from './registry'
import { SphHdf5Importer } from './sph-hdf5'
import type { Importer } from './types'
import { WfdbImporter } from './wfdb'

export function defaultImporters(): Importer[] {
  return [new SphHdf5Importer(), new AecgImporter(), new WfdbImporter('mat'), new WfdbImporter('dat'), new CsvImporter()]
}

export function createImporterRegistry(options: RegistryOptions = {}): ImporterRegistry {
  return new ImporterRegistry(defaultImporters(), options)
}

export { ImporterRegistry } from './registry'
export type { RegistryOptions } from './registry'
export type { ImportOptions, Importer, SourceFile, ImportContext } from './types'
