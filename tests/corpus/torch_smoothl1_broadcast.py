import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(3, 1))
loss_fn = nn.SmoothL1Loss()
inp = torch.randn(30, 3)
target = torch.randn(30, 4)
loss = loss_fn(net(inp), target)
