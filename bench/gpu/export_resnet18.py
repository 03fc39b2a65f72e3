"""Writes torchvision's resnet18 (random weights, seed 0: the GPU machine cannot download ImageNet weights) as an ONNX
classifier for `mic-train --backbone`, built node by node from its state dict (Conv, BatchNormalization, Relu, MaxPool,
Add, GlobalAveragePool, Flatten, Gemm; opset 13) the way the ONNX model zoo's ResNets are laid out, so neither of
torch's ONNX exporters is involved. Without torch (a machine with numpy and onnx only) the weights are random numpy
arrays of the same shapes, enough to check that the trainer imports the layout.

Usage: python3 export_resnet18.py OUT.onnx"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def state_dict():
    try:
        import torch
        import torchvision
    except ImportError:
        return None
    torch.manual_seed(0)
    return {k: v.numpy() for k, v in torchvision.models.resnet18(num_classes=1000).state_dict().items()}


def numpy_state_dict():
    rng = np.random.default_rng(0)
    shapes = {"conv1.weight": (64, 3, 7, 7), "fc.weight": (1000, 512), "fc.bias": (1000,)}
    channels = 64
    for layer, width in enumerate([64, 128, 256, 512], start=1):
        for block in range(2):
            p = f"layer{layer}.{block}"
            shapes[f"{p}.conv1.weight"] = (width, channels if block == 0 else width, 3, 3)
            shapes[f"{p}.conv2.weight"] = (width, width, 3, 3)
            if block == 0 and layer > 1:
                shapes[f"{p}.downsample.0.weight"] = (width, channels, 1, 1)
            channels = width
    sd = {k: (rng.standard_normal(s) * np.sqrt(2 / np.prod(s[1:]))).astype(np.float32) for k, s in shapes.items()}
    for conv in [k for k in shapes if k.endswith("weight") and len(shapes[k]) == 4]:
        bn = conv.replace("conv", "bn").replace("downsample.0", "downsample.1").rsplit(".", 1)[0]
        n = shapes[conv][0]
        sd.update({f"{bn}.weight": np.ones(n, np.float32), f"{bn}.bias": np.zeros(n, np.float32),
                   f"{bn}.running_mean": np.zeros(n, np.float32), f"{bn}.running_var": np.ones(n, np.float32)})
    return sd


weights = state_dict()
source = "torchvision resnet18 (seed 0)"
if weights is None:
    weights, source = numpy_state_dict(), "numpy weights of resnet18's shapes"
nodes, initializers = [], []


def param(name):
    initializers.append(numpy_helper.from_array(np.ascontiguousarray(weights[name]), name))
    return name


def conv_bn(x, conv, bn, stride, relu=True):
    kernel = weights[conv + ".weight"].shape[2]
    nodes.append(helper.make_node("Conv", [x, param(conv + ".weight")], [conv], kernel_shape=[kernel, kernel],
                                  strides=[stride, stride], pads=[kernel // 2] * 4))
    nodes.append(helper.make_node("BatchNormalization", [conv] + [param(f"{bn}.{k}") for k in
                                  ("weight", "bias", "running_mean", "running_var")], [bn], epsilon=1e-5, momentum=0.9))
    if not relu:
        return bn
    nodes.append(helper.make_node("Relu", [bn], [bn + ".relu"]))
    return bn + ".relu"


x = conv_bn("input", "conv1", "bn1", 2)
nodes.append(helper.make_node("MaxPool", [x], ["maxpool"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
x = "maxpool"
for layer in range(1, 5):
    for block in range(2):
        p = f"layer{layer}.{block}"
        stride = 2 if block == 0 and layer > 1 else 1
        y = conv_bn(x, p + ".conv1", p + ".bn1", stride)
        y = conv_bn(y, p + ".conv2", p + ".bn2", 1, relu=False)
        shortcut = conv_bn(x, p + ".downsample.0", p + ".downsample.1", stride, relu=False) \
            if p + ".downsample.0.weight" in weights else x
        nodes.append(helper.make_node("Add", [y, shortcut], [p + ".add"]))
        nodes.append(helper.make_node("Relu", [p + ".add"], [p]))
        x = p
nodes.append(helper.make_node("GlobalAveragePool", [x], ["avgpool"]))
nodes.append(helper.make_node("Flatten", ["avgpool"], ["flatten"], axis=1))
nodes.append(helper.make_node("Gemm", ["flatten", param("fc.weight"), param("fc.bias")], ["logits"], transB=1))
graph = helper.make_graph(nodes, "resnet18", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, "H", "W"])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 1000])], initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="mic bench/gpu")
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
print(f"{sys.argv[1]}: {source}, {len(nodes)} nodes", file=sys.stderr)
print(x)  # the feature map global pooling reads (--backbone-output)
