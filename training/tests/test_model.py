import torch

from ecgtriage.model import BasicBlock, ResNet1DSE, SqueezeExcite, count_params, feature_length


def test_forward_shapes_and_outputs_are_consistent():
    torch.manual_seed(0)
    m = ResNet1DSE(n_classes=5, kernel=3).eval()
    x = torch.randn(2, 12, 1000)
    logits, feats, emb = m(x)
    assert logits.shape == (2, 5)
    assert feats.shape == (2, 512, feature_length(1000)) == (2, 512, 32)
    assert emb.shape == (2, 512)
    # embedding is GAP of the features and logits the head applied to it (dropout is identity in eval)
    assert torch.allclose(emb, feats.mean(-1), atol=1e-6)
    assert torch.allclose(logits, m.head(emb), atol=1e-5)


def test_feature_length_formula_for_other_windows():
    m = ResNet1DSE(3, kernel=5).eval()
    for w in (200, 999, 5000):
        assert m(torch.zeros(1, 12, w))[1].shape[-1] == feature_length(w)


def test_parameter_counts_match_the_size_budget():
    # kernel 3 fits the < 20 MB per-file budget in fp32, kernel 7 does not (~8.8M params, ~35 MB)
    assert 3.9e6 < count_params(ResNet1DSE(3, kernel=3)) < 4.0e6
    assert count_params(ResNet1DSE(3, kernel=7)) > 8.5e6


def test_squeeze_excite_rescales_channels_by_a_sigmoid_gate():
    se = SqueezeExcite(32, reduction=16)
    assert se.fc1.out_features == 2
    x = torch.randn(3, 32, 10)
    with torch.no_grad():
        se.fc1.weight.zero_(); se.fc1.bias.zero_(); se.fc2.weight.zero_(); se.fc2.bias.fill_(0.0)
    assert torch.allclose(se(x), x * 0.5)  # sigmoid(0) = 0.5 on every channel
    with torch.no_grad():
        se.fc2.bias.copy_(torch.linspace(-3, 3, 32))
    gate = torch.sigmoid(torch.linspace(-3, 3, 32))
    assert torch.allclose(se(x), x * gate[None, :, None], atol=1e-6)


def test_basic_block_shortcut_projection_only_when_shape_changes():
    same = BasicBlock(64, 64, 3, 1)
    down = BasicBlock(64, 128, 3, 2)
    assert isinstance(same.shortcut, torch.nn.Identity)
    assert isinstance(down.shortcut, torch.nn.Sequential)
    assert down(torch.randn(2, 64, 50)).shape == (2, 128, 25)


def test_head_is_a_linear_layer_named_head():
    m = ResNet1DSE(4)
    assert isinstance(m.head, torch.nn.Linear) and m.head.in_features == 512 and m.head.out_features == 4
    assert "head.weight" in dict(m.named_parameters())
