"""PNG plots for the evaluation report: ROC curves and confusion matrices (matplotlib, Agg)."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .metrics import roc_auc, roc_curve  # noqa: E402


def roc_png(y: np.ndarray, scores: np.ndarray, names: list[str], title: str, path: Path, max_curves: int = 8) -> None:
    """(N, C) {0,1}, (N, C) scores -> one-vs-rest ROC per class (the `max_curves` most supported) + micro."""
    fig, ax = plt.subplots(figsize=(5, 5), dpi=90)
    order = np.argsort(-y.sum(0))[:max_curves]
    for c in order:
        if 0 < y[:, c].sum() < len(y):
            fpr, tpr, _ = roc_curve(y[:, c], scores[:, c])
            ax.plot(fpr, tpr, lw=1.2, label=f"{names[c]} (AUC {roc_auc(y[:, c], scores[:, c]):.2f}, n={int(y[:, c].sum())})")
    if 0 < y.sum() < y.size:
        fpr, tpr, _ = roc_curve(y.ravel(), scores.ravel())
        ax.plot(fpr, tpr, "k--", lw=1.5, label=f"micro (AUC {roc_auc(y.ravel(), scores.ravel()):.2f})")
    ax.plot([0, 1], [0, 1], color="0.7", lw=0.8)
    ax.set(xlabel="False positive rate", ylabel="True positive rate", title=title, xlim=(0, 1), ylim=(0, 1.01))
    ax.legend(fontsize=6.5, loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def confusion_png(cm: np.ndarray, names: list[str], title: str, path: Path) -> None:
    """(C, C) counts, rows = true, columns = predicted."""
    fig, ax = plt.subplots(figsize=(4.5, 4), dpi=90)
    ax.imshow(cm, cmap="Blues")
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, str(int(cm[i, j])), ha="center", va="center", color="white" if cm[i, j] > cm.max() / 2 else "black")
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=7)
    ax.set(xlabel="Predicted", ylabel="True", title=title)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
