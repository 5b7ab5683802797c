import math

import numpy as np
import pytest

from ecgtriage.metrics import (best_f1_threshold, class_report, confusion_matrix, cumulative, decide_tiers,
                               multiclass_auc, multilabel_report, one_hot, roc_auc, youden_threshold)


def test_confusion_matrix_and_class_report_by_hand():
    y = [0, 0, 0, 1, 1, 2]
    p = [0, 1, 0, 1, 2, 2]
    cm = confusion_matrix(y, p, 3)
    assert cm.tolist() == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    r = class_report(cm)
    # class 0: P 2/2, R 2/3; class 1: P 1/2, R 1/2; class 2: P 1/2, R 1/1
    assert r["perClass"][0]["precision"] == 1.0 and r["perClass"][0]["recall"] == pytest.approx(2 / 3)
    assert r["perClass"][0]["f1"] == pytest.approx(0.8)
    assert r["perClass"][1]["f1"] == pytest.approx(0.5)
    assert r["perClass"][2]["f1"] == pytest.approx(2 / 3)
    assert r["macro"]["f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert r["weighted"]["f1"] == pytest.approx((3 * 0.8 + 2 * 0.5 + 1 * 2 / 3) / 6)
    assert r["accuracy"] == pytest.approx(4 / 6)


def test_empty_class_scores_zero_not_nan():
    r = class_report(confusion_matrix([0, 0], [0, 0], 2))
    assert r["perClass"][1] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert r["macro"]["f1"] == pytest.approx(0.5)


def test_confusion_matrix_rejects_out_of_range_labels():
    with pytest.raises(ValueError, match="outside"):
        confusion_matrix([0, 3], [0, 0], 3)


def test_auc_by_hand_with_ties():
    # positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4) (0.8>0.1) (0.4=0.4 -> 1/2) (0.4>0.1) = 3.5 / 4
    assert roc_auc([1, 1, 0, 0], [0.8, 0.4, 0.4, 0.1]) == pytest.approx(0.875)
    assert roc_auc([1, 0], [0.5, 0.5]) == pytest.approx(0.5)
    assert roc_auc([0, 1, 0, 1], [0.9, 0.1, 0.8, 0.2]) == pytest.approx(0.0)
    assert math.isnan(roc_auc([1, 1], [0.1, 0.2]))


def test_micro_auc_flattens_the_one_hot_problem():
    y = np.array([0, 1, 2])
    s = np.array([[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.5, 0.1, 0.4]])
    r = multiclass_auc(one_hot(y, 3), s)
    # flattened positives 0.7, 0.4, 0.4; negatives 0.2, 0.1, 0.3, 0.3, 0.5, 0.1
    # 0.7 beats 6; 0.4 beats 5 each (loses to 0.5) -> (6 + 5 + 5) / 18
    assert r["micro"] == pytest.approx(16 / 18)
    assert r["perClass"][0] == pytest.approx(1.0)  # 0.7 vs 0.3, 0.5
    assert r["perClass"][2] == pytest.approx(1.0)  # 0.4 vs 0.1, 0.3
    assert r["perClass"][1] == pytest.approx(1.0)


def test_cumulative_tier_decision():
    probs = np.array([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.6, 0.35, 0.05]])
    assert cumulative(probs)[:, 1].tolist() == pytest.approx([0.5, 0.8, 0.4])
    # thresholds: non-urgent 0.45, urgent 0.3 -> row 0: P>=urgent 0.2 < 0.3, P>=1 0.5 >= 0.45 -> 1
    assert decide_tiers(probs, [0, 0.45, 0.3]).tolist() == [1, 2, 0]


def test_threshold_rules():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.1, 0.4, 0.35, 0.8])
    assert youden_threshold(y, s) in (0.35, 0.8)
    assert youden_threshold(np.array([1, 1]), np.array([0.2, 0.3])) is None
    assert best_f1_threshold(y, s) == pytest.approx(0.25)  # 0.15..0.35 flag 0.4, 0.35, 0.8: F1 0.8; middle
    assert best_f1_threshold(np.zeros(3), np.ones(3)) is None


def test_multilabel_report_by_hand():
    y = np.array([[1, 0], [1, 1], [0, 0]])
    s = np.array([[0.9, 0.2], [0.6, 0.3], [0.7, 0.1]])
    r = multilabel_report(y, s, np.array([0.5, 0.5]))
    # pred [[1,0],[1,0],[1,0]]: class 0 tp 2 fp 1 -> P 2/3 R 1; class 1 tp 0 fn 1
    assert r["perClass"][0]["f1"] == pytest.approx(0.8)
    assert r["perClass"][1]["f1"] == 0.0
    assert r["subsetAccuracy"] == pytest.approx(1 / 3)
    assert r["hammingAccuracy"] == pytest.approx(4 / 6)
    assert r["micro"]["precision"] == pytest.approx(2 / 3) and r["micro"]["recall"] == pytest.approx(2 / 3)
    assert r["weighted"]["f1"] == pytest.approx((2 * 0.8 + 1 * 0) / 3)
    assert r["sampleJaccard"] == pytest.approx((1 + 0.5 + 0) / 3)


def test_report_json_has_no_nan():
    import json

    from ecgtriage.report_md import clean

    doc = clean({"auc": float("nan"), "rows": [1.0, float("inf"), {"x": float("nan")}]})
    assert doc == {"auc": None, "rows": [1.0, None, {"x": None}]}
    json.dumps(doc, allow_nan=False)


def test_sensitivity_threshold_keeps_the_required_share_of_positives():
    from ecgtriage.metrics import sensitivity_threshold

    y = np.array([1, 1, 1, 1, 0, 0])
    s = np.array([0.9, 0.8, 0.3, 0.6, 0.7, 0.1])
    assert sensitivity_threshold(y, s, 0.75) == pytest.approx(0.6)  # 3 of 4 positives at >= 0.6
    assert sensitivity_threshold(y, s, 0.9) == pytest.approx(0.3)  # all 4 needed
    assert sensitivity_threshold(np.zeros(3), s[:3], 0.9) is None
