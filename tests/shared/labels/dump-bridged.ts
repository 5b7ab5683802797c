// Prints, as JSON, what the TypeScript catalog says for every catalogued code, every PTB-XL record and every
// CinC record in ../shared/data. training/tests/test_labels.py runs it and compares with the Python catalog.
// Usage: npx tsx tests/shared/labels/dump-bridged.ts
import { ahaFromScp, ahaFromSnomed, catalog, parseScpCodes, tierOfBridged, tierOfCode, LABEL_MAPPING_VERSION } from '../../../src/shared/labels/catalog'
import { cincRecords, ptbxlRows } from './data'

const codes = Object.fromEntries([...catalog.codes, ...catalog.extraCodes].map((e) => [e.code, [tierOfCode(e.code, 'tier3'), tierOfCode(e.code, 'tier4')]]))
const ptbxl = Object.fromEntries(ptbxlRows().map((r) => {
  const b = ahaFromScp(parseScpCodes(r.scpCodes, `ptbxl_database.csv ecg_id ${r.ecgId}`), r.heartAxis || null)
  return [r.ecgId, { ...b, tier3: tierOfBridged(b, 'tier3'), tier4: tierOfBridged(b, 'tier4') }]
}))
const cinc = Object.fromEntries(cincRecords().map((r) => {
  const b = ahaFromSnomed(r.dx)
  return [r.record, { ...b, tier3: tierOfBridged(b, 'tier3'), tier4: tierOfBridged(b, 'tier4') }]
}))
process.stdout.write(JSON.stringify({ version: LABEL_MAPPING_VERSION, codes, ptbxl, cinc }))
