"""PyTorch's own torchvision resnet18 (10 classes) training step on the GPU: forward + backward + AdamW, fp32,
channels_last, random data of the given size and batch; prints images/s (median of 5 blocks of 20 steps).

Usage: python3 torch_reference.py SIZE BATCH"""
import statistics
import sys
import time

import torch
import torchvision

size, batch = int(sys.argv[1]), int(sys.argv[2])
torch.manual_seed(0)
model = torchvision.models.resnet18(num_classes=10).cuda().to(memory_format=torch.channels_last).train()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
x = torch.randn(batch, 3, size, size, device="cuda").to(memory_format=torch.channels_last)
y = torch.randint(0, 10, (batch,), device="cuda")


def step():
    opt.zero_grad(set_to_none=True)
    torch.nn.functional.cross_entropy(model(x), y).backward()
    opt.step()


for _ in range(10):
    step()
torch.cuda.synchronize()
rates = []
for _ in range(5):
    start = time.perf_counter()
    for _ in range(20):
        step()
    torch.cuda.synchronize()
    rates.append(20 * batch / (time.perf_counter() - start))
print(f"torch {torch.__version__} torchvision resnet18 {size}px batch {batch}: {statistics.median(rates):.0f} img/s "
      f"(blocks: {', '.join(f'{r:.0f}' for r in rates)})")
