"""ECG triage training pipeline (SPH / PTB-XL -> ResNet1D -> ONNX + manifest).

Label catalog: ``ecgtriage.labels`` (reads resources/labels/*.json, shared with the TypeScript app).
"""
