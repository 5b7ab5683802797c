"""ResNet1D-SE of the thesis (section 3.3): stem conv(k15, s2) + BN + ReLU + maxpool(3, 2); four stages of two
SE residual blocks (64, 128, 256, 512 channels, stride 2 at the first block of stages 2-4); global average
pooling, dropout 0.5, linear head `head`.

forward(x) returns (logits, features, embedding):
  x          (B, 12, W)
  features   (B, 512, T')  output of the last stage (Grad-CAM reads it)
  embedding  (B, 512)      GAP(features) (head fine-tuning reads it)
  logits     (B, C)        head(dropout(embedding))
"""
from __future__ import annotations

import torch
from torch import nn

STAGE_CHANNELS = (64, 128, 256, 512)


class SqueezeExcite(nn.Module):
    """(B, C, T) -> (B, C, T): channels rescaled by sigmoid(fc2(relu(fc1(mean_t x))))."""

    def __init__(self, channels: int, reduction: int = 16):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.fc1 = nn.Linear(channels, hidden)
        self.fc2 = nn.Linear(hidden, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = x.mean(dim=-1)  # (B, C, T) -> (B, C)
        s = torch.sigmoid(self.fc2(torch.relu(self.fc1(s))))
        return x * s.unsqueeze(-1)  # (B, C, 1) broadcast over time


class BasicBlock(nn.Module):
    """(B, Cin, T) -> (B, Cout, ceil(T / stride)): conv-bn-relu-conv-bn, SE, + shortcut, ReLU."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int = 1, reduction: int = 16):
        super().__init__()
        pad = kernel // 2  # odd kernels keep length (before stride)
        self.conv1 = nn.Conv1d(c_in, c_out, kernel, stride=stride, padding=pad, bias=False)
        self.bn1 = nn.BatchNorm1d(c_out)
        self.conv2 = nn.Conv1d(c_out, c_out, kernel, stride=1, padding=pad, bias=False)
        self.bn2 = nn.BatchNorm1d(c_out)
        self.se = SqueezeExcite(c_out, reduction)
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv1d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm1d(c_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.se(self.bn2(self.conv2(y)))
        return torch.relu(y + self.shortcut(x))


class ResNet1DSE(nn.Module):
    def __init__(self, n_classes: int, kernel: int = 7, in_leads: int = 12, dropout: float = 0.5):
        super().__init__()
        if kernel % 2 != 1:
            raise ValueError(f"block kernel must be odd (same padding), got {kernel}")
        self.kernel = kernel
        self.stem = nn.Sequential(
            nn.Conv1d(in_leads, 64, 15, stride=2, padding=7, bias=False),
            nn.BatchNorm1d(64),
            nn.ReLU(inplace=True),
            nn.MaxPool1d(3, stride=2, padding=1),
        )
        stages = []
        c_in = 64
        for i, c in enumerate(STAGE_CHANNELS):
            stride = 1 if i == 0 else 2
            stages.append(nn.Sequential(BasicBlock(c_in, c, kernel, stride), BasicBlock(c, c, kernel, 1)))
            c_in = c
        self.stages = nn.Sequential(*stages)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(STAGE_CHANNELS[-1], n_classes)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        features = self.stages(self.stem(x))  # (B, 12, W) -> (B, 512, T')
        embedding = features.mean(dim=-1)  # (B, 512, T') -> (B, 512)
        logits = self.head(self.dropout(embedding))  # (B, 512) -> (B, C)
        return logits, features, embedding


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def feature_length(window: int) -> int:
    """T' of the last stage for an input of `window` samples (stem /2, pool /2, stages 2-4 /2 each)."""
    t = (window + 2 * 7 - 15) // 2 + 1
    t = (t + 2 - 3) // 2 + 1
    for _ in range(3):
        t = (t - 1) // 2 + 1
    return t
