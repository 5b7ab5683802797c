// CPU latency of an ONNX model in onnxruntime-node (the app's engine): batch 1, 2 intra-op threads,
// median over reps after warm-up. Usage: node ort_latency.mjs model.onnx windowSamples [reps]
import * as ort from 'onnxruntime-node'

const [path, w, repsArg] = process.argv.slice(2)
const W = Number(w)
const reps = Number(repsArg ?? 50)
const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 2, interOpNumThreads: 1 })
const x = new Float32Array(12 * W).map((_, i) => Math.sin(i / 13))
const feeds = { ecg: new ort.Tensor('float32', x, [1, 12, W]) }
for (let i = 0; i < 5; i++) await session.run(feeds)
const times = []
for (let i = 0; i < reps; i++) {
  const t = performance.now()
  await session.run(feeds)
  times.push(performance.now() - t)
}
times.sort((a, b) => a - b)
console.log(JSON.stringify({ medianMs: times[Math.floor(times.length / 2)], p10Ms: times[Math.floor(times.length / 10)] }))
