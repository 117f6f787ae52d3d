"""Runs onnx.checker.check_model (full check, with shape inference) on every .onnx file given; prints one line per file.
Used by src/io/__tests__/onnxExport.test.tsx.
"""
import sys

import onnx

for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    print(path, "opset", model.opset_import[0].version, "nodes", len(model.graph.node))
