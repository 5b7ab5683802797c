/**
 * The tier model's last-stage feature maps of recently analysed records, kept in the inference worker so that
 * the Grad-CAM of a record just analysed needs no second preprocessing and forward pass: the map is the head
 * weights applied to these features (./cam.ts). Bounded LRU; keyed by model '<id>@<version>' and record id
 * (a content hash), so a new model version or a changed record never hits a stale entry.
 */
export interface CachedFeatures {
  /** (nWindows, K, T') row-major, the model's 'features' output per window. */
  features: Float32Array
  nWindows: number
  windowSamples: number
  /** Window starts in samples at the model rate. */
  windowStarts: number[]
  targetRateHz: number
}

export class FeatureCache {
  private readonly entries = new Map<string, CachedFeatures>()

  /** ~64 KiB per 10 s window at 100 Hz (512 x 32 floats): 256 records stay well under 100 MiB. */
  constructor(private readonly capacity = 256) {}

  get(modelKey: string, recordId: string): CachedFeatures | undefined {
    const k = `${modelKey}\u0000${recordId}`
    const hit = this.entries.get(k)
    if (hit) {
      // refresh recency
      this.entries.delete(k)
      this.entries.set(k, hit)
    }
    return hit
  }

  set(modelKey: string, recordId: string, value: CachedFeatures): void {
    const k = `${modelKey}\u0000${recordId}`
    this.entries.delete(k)
    this.entries.set(k, value)
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!)
  }

  get size(): number {
    return this.entries.size
  }
}
