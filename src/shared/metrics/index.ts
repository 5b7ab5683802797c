/** Pure metric functions over typed arrays, shared by the evaluate CLI, the clinician loop and the UI. */
export * from './confusion'
export * from './curve'
export * from './roc'
export * from './pr'
export * from './binary'
export * from './operating-point'
export * from './tiers'
export * from './multilabel'
