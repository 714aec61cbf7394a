"""mlx.nn.losses against PyTorch (where torch computes the same loss) and
NumPy float64 formulas otherwise.  Error messages and a few dtype results
were read off real MLX 0.32.4.

Gradients of every loss are checked in test_nn_grads.py.
"""

import math

import numpy as np
import pytest

import mlx.core as mx
import mlx.nn.losses as losses

torch = pytest.importorskip("torch")
F = torch.nn.functional

RTOL = 1e-5
ATOL = 1e-6


def rng():
    return np.random.default_rng(1234)


def close(ours, expected, rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(np.array(ours), np.asarray(expected, dtype=np.float64),
                               rtol=rtol, atol=atol)


def t(x):
    return torch.tensor(np.asarray(x, dtype=np.float64))


def reduce_np(loss, reduction):
    return {"none": loss, "mean": np.mean(loss), "sum": np.sum(loss)}[reduction]


REDUCTIONS = ["none", "mean", "sum"]


# ---------------------------------------------------------------- cross entropy


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.1, 0.4])
def test_cross_entropy_indices_vs_torch(reduction, smoothing):
    r = rng()
    logits = r.normal(size=(8, 5)).astype(np.float32) * 3
    targets = r.integers(0, 5, size=(8,))
    ours = losses.cross_entropy(mx.array(logits), mx.array(targets),
                                label_smoothing=smoothing, reduction=reduction)
    ref = F.cross_entropy(t(logits), torch.tensor(targets), label_smoothing=smoothing,
                          reduction=reduction)
    close(ours, ref.numpy())


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_probabilities_vs_torch(smoothing):
    r = rng()
    logits = r.normal(size=(6, 4)).astype(np.float32)
    probs = r.random(size=(6, 4)).astype(np.float32)
    probs /= probs.sum(-1, keepdims=True)
    ours = losses.cross_entropy(mx.array(logits), mx.array(probs), label_smoothing=smoothing)
    ref = F.cross_entropy(t(logits), t(probs), label_smoothing=smoothing, reduction="none")
    close(ours, ref.numpy())


def test_cross_entropy_axis_and_higher_rank():
    r = rng()
    logits = r.normal(size=(2, 3, 4)).astype(np.float32)
    targets = r.integers(0, 3, size=(2, 4))
    ours = losses.cross_entropy(mx.array(logits), mx.array(targets), axis=1)
    # torch puts the class axis at 1, as here.
    ref = F.cross_entropy(t(logits), torch.tensor(targets), reduction="none")
    close(ours, ref.numpy())
    ours0 = losses.cross_entropy(mx.array(logits[0].T), mx.array(targets[0]), axis=-1)
    close(ours0, ref.numpy()[0])


def test_cross_entropy_per_sample_weights():
    r = rng()
    logits = r.normal(size=(5, 3)).astype(np.float32)
    targets = r.integers(0, 3, size=(5,))
    weights = r.random(size=(5,)).astype(np.float32)
    lse = np.log(np.exp(logits.astype(np.float64)).sum(-1))
    expected = (lse - logits[np.arange(5), targets]) * weights
    for reduction in REDUCTIONS:
        ours = losses.cross_entropy(mx.array(logits), mx.array(targets),
                                    weights=mx.array(weights), reduction=reduction)
        close(ours, reduce_np(expected, reduction))


def test_cross_entropy_reference_values():
    # Values printed by real MLX 0.32.4 for these inputs.
    x = mx.array([[1.0, 2.0, 3.0], [0.5, -1, 2]])
    y = mx.array([2, 0])
    close(losses.cross_entropy(x, y), [0.407606, 1.74131])
    close(losses.cross_entropy(x, y, weights=mx.array([1.0, 2.0])), [0.407606, 3.48262])
    close(losses.cross_entropy(x, y, label_smoothing=0.1), [0.507606, 1.74131])
    close(losses.cross_entropy(x.T, y, axis=0), [0.407606, 1.74131])
    close(losses.cross_entropy(x, y, reduction="mean"), 1.07446, rtol=1e-5)
    out = losses.cross_entropy(mx.array([[1, 2, 3]]), mx.array([1]))
    assert out.dtype == mx.float32
    close(out, [1.40761])
    assert losses.cross_entropy(x.astype(mx.float16), y).dtype == mx.float16


def test_cross_entropy_errors():
    x = mx.zeros((2, 3))
    with pytest.raises(ValueError, match=r"Targets shape \(3,\) does not match logits shape \(2, 3\)\."):
        losses.cross_entropy(x, mx.array([1, 2, 0]))
    with pytest.raises(ValueError, match=r"Targets shape \(2, 4\) does not match logits shape \(2, 3\)\."):
        losses.cross_entropy(x, mx.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"Weights with shape \(3,\) is not the same as output loss with shape \(2,\)\."):
        losses.cross_entropy(x, mx.array([0, 1]), weights=mx.ones((3,)))
    with pytest.raises(ValueError, match=r"Label smoothing must be in \[0, 1\), got 1.0\."):
        losses.cross_entropy(x, mx.array([0, 1]), label_smoothing=1.0)
    with pytest.raises(ValueError, match=r"Label smoothing must be in \[0, 1\), got -0.1\."):
        losses.cross_entropy(x, mx.array([0, 1]), label_smoothing=-0.1)


@pytest.mark.parametrize(
    "fn",
    [
        lambda red: losses.cross_entropy(mx.zeros((2, 3)), mx.array([0, 1]), reduction=red),
        lambda red: losses.mse_loss(mx.zeros((2,)), mx.zeros((2,)), reduction=red),
        lambda red: losses.l1_loss(mx.zeros((2,)), mx.zeros((2,)), reduction=red),
        lambda red: losses.hinge_loss(mx.zeros((2,)), mx.zeros((2,)), reduction=red),
        lambda red: losses.binary_cross_entropy(mx.zeros((2,)), mx.zeros((2,)), reduction=red),
    ],
)
@pytest.mark.parametrize("bad", ["avg", "max", None, "Mean"])
def test_bad_reduction(fn, bad):
    with pytest.raises(ValueError, match=r"Invalid reduction\. Must be one of \('none', 'mean', 'sum'\)\."):
        fn(bad)


# ------------------------------------------------------- binary cross entropy


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_vs_torch(reduction):
    r = rng()
    x = (r.normal(size=(4, 6)) * 4).astype(np.float32)
    y = r.integers(0, 2, size=(4, 6)).astype(np.float32)
    w = r.random(size=(4, 6)).astype(np.float32)
    ours = losses.binary_cross_entropy(mx.array(x), mx.array(y), reduction=reduction)
    close(ours, F.binary_cross_entropy_with_logits(t(x), t(y), reduction=reduction).numpy())
    ours = losses.binary_cross_entropy(mx.array(x), mx.array(y), weights=mx.array(w),
                                       reduction=reduction)
    ref = F.binary_cross_entropy_with_logits(t(x), t(y), weight=t(w), reduction=reduction)
    close(ours, ref.numpy())


def test_bce_probabilities_vs_torch():
    r = rng()
    p = r.uniform(0.01, 0.99, size=(10,)).astype(np.float32)
    y = r.integers(0, 2, size=(10,)).astype(np.float32)
    ours = losses.binary_cross_entropy(mx.array(p), mx.array(y), with_logits=False,
                                       reduction="none")
    close(ours, F.binary_cross_entropy(t(p), t(y), reduction="none").numpy(), rtol=1e-4)
    # Saturated probabilities are clipped to log(.) >= -100 (torch does the same).
    edge = losses.binary_cross_entropy(mx.array([0.0, 1.0, 0.3]), mx.array([1.0, 0.0, 1.0]),
                                       with_logits=False, reduction="none")
    close(edge, [100.0, 100.0, -math.log(0.3)], rtol=1e-5)


def test_bce_reference_values_and_errors():
    out = losses.binary_cross_entropy(mx.array([1.0, -2]), mx.array([1.0, 0]),
                                      weights=mx.array([1.0, 2]), reduction="none")
    close(out, [0.313262, 0.253856])
    # Integer targets are accepted.
    close(losses.binary_cross_entropy(mx.array([1.0, -2]), mx.array([1, 0]), reduction="none"),
          [0.313262, 0.126928])
    with pytest.raises(ValueError, match=r"Inputs shape \(2,\) does not match targets shape \(3,\)\."):
        losses.binary_cross_entropy(mx.array([1.0, 2]), mx.array([1.0, 0, 1]))
    with pytest.raises(ValueError, match=r"Weights with shape \(3,\) is not the same as output loss with shape \(2,\)\."):
        losses.binary_cross_entropy(mx.array([1.0, 2]), mx.array([1.0, 0]), weights=mx.ones((3,)))


# ------------------------------------------------------------ regression losses


def regression_pair(scale):
    # Twenty float32 predictions and targets, N(0, scale^2), from the fixed seed.
    r = rng()
    a = (r.normal(size=(20,)) * scale).astype(np.float32)
    b = (r.normal(size=(20,)) * scale).astype(np.float32)
    return a, b


def regression_vs_torch(name, torch_fn, a, b, reduction, **options):
    # A regression loss against its PyTorch twin; both take the same options.
    ours = getattr(losses, name)(mx.array(a), mx.array(b), reduction=reduction, **options)
    close(ours, torch_fn(t(a), t(b), reduction=reduction, **options).numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_l1_mse_vs_torch(reduction):
    r = rng()
    a = r.normal(size=(3, 7)).astype(np.float32)
    b = r.normal(size=(3, 7)).astype(np.float32)
    regression_vs_torch("l1_loss", F.l1_loss, a, b, reduction)
    regression_vs_torch("mse_loss", F.mse_loss, a, b, reduction)


def test_regression_defaults_and_int_inputs():
    a, b = mx.array([1.0, 2.0]), mx.array([3.0, 5.0])
    close(losses.mse_loss(a, b), 6.5)  # default reduction is mean
    close(losses.l1_loss(a, b), 2.5)
    ai, bi = mx.array([1, 2]), mx.array([3, 5])
    assert losses.mse_loss(ai, bi).dtype == mx.float32
    assert losses.mse_loss(ai, bi, reduction="none").tolist() == [4, 9]
    assert losses.l1_loss(ai, bi, reduction="sum").item() == 5


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss"])
def test_regression_shape_errors(name):
    fn = getattr(losses, name)
    with pytest.raises(ValueError, match=r"Predictions shape \(2,\) does not match targets shape \(3,\)\."):
        fn(mx.zeros((2,)), mx.zeros((3,)))
    # No broadcasting either.
    with pytest.raises(ValueError, match=r"Predictions shape \(1, 2\) does not match targets shape \(2, 1\)\."):
        fn(mx.zeros((1, 2)), mx.zeros((2, 1)))


@pytest.mark.parametrize("beta", [1.0, 0.5, 2.0])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_smooth_l1_vs_torch(beta, reduction):
    a, b = regression_pair(2)
    regression_vs_torch("smooth_l1_loss", F.smooth_l1_loss, a, b, reduction, beta=beta)


def test_smooth_l1_beta_zero_is_l1():
    out = losses.smooth_l1_loss(mx.array([1.0, 2, 0.3]), mx.array([1.0, 0, 0]), beta=0.0,
                                reduction="none")
    close(out, [0.0, 2.0, 0.3])


@pytest.mark.parametrize("delta", [1.0, 0.3, 1.5])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_huber_vs_torch(delta, reduction):
    a, b = regression_pair(2)
    regression_vs_torch("huber_loss", F.huber_loss, a, b, reduction, delta=delta)


def test_log_cosh_numpy_and_large_errors():
    a, b = regression_pair(3)
    expected = np.log(np.cosh(a.astype(np.float64) - b))
    for reduction in REDUCTIONS:
        close(losses.log_cosh_loss(mx.array(a), mx.array(b), reduction=reduction),
              reduce_np(expected, reduction), rtol=1e-5, atol=1e-6)
    # cosh(200) overflows float32; the loss must not.
    close(losses.log_cosh_loss(mx.array([200.0, -31.0]), mx.array([0.0, 0.0])),
          [200 - math.log(2), 31 - math.log(2)])


def test_hinge_numpy():
    r = rng()
    x = r.normal(size=(12,)).astype(np.float32)
    y = np.where(r.random(12) < 0.5, -1.0, 1.0).astype(np.float32)
    expected = np.maximum(0, 1 - x.astype(np.float64) * y)
    for reduction in REDUCTIONS:
        close(losses.hinge_loss(mx.array(x), mx.array(y), reduction=reduction),
              reduce_np(expected, reduction))
    assert losses.hinge_loss(mx.array([1, 2]), mx.array([1, -1])).dtype == mx.int32


# --------------------------------------------------- distribution losses


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_vs_torch(reduction):
    r = rng()
    logp = np.log(r.dirichlet(np.ones(5), size=7)).astype(np.float32)
    y = r.integers(0, 5, size=(7,))
    ours = losses.nll_loss(mx.array(logp), mx.array(y), reduction=reduction)
    close(ours, F.nll_loss(t(logp), torch.tensor(y), reduction=reduction).numpy())


def test_nll_axis_and_reference():
    x = mx.array([[1.0, 2.0, 3.0], [0.5, -1, 2]])
    close(losses.nll_loss(x, mx.array([2, 0])), [-3.0, -0.5])
    close(losses.nll_loss(x.T, mx.array([2, 0]), axis=0), [-3.0, -0.5])
    # Real MLX 0.32.4 output for a class axis in the middle.
    x3 = mx.arange(24.0).reshape(2, 3, 4)
    close(losses.nll_loss(x3, mx.array([[0, 1, 2, 0], [2, 2, 1, 0]]), axis=1),
          [[0, -5, -10, -3], [-20, -21, -18, -15]])
    with pytest.raises(ValueError):
        losses.nll_loss(x, mx.array([1, 2, 0]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_kl_div_vs_torch(reduction):
    r = rng()
    p = np.log(r.dirichlet(np.ones(4), size=6)).astype(np.float32)
    q = np.log(r.dirichlet(np.ones(4), size=6)).astype(np.float32)
    ours = losses.kl_div_loss(mx.array(p), mx.array(q), reduction=reduction)
    per_row = F.kl_div(t(p), t(q), log_target=True, reduction="none").sum(-1).numpy()
    close(ours, reduce_np(per_row, reduction))
    ours0 = losses.kl_div_loss(mx.array(p.T), mx.array(q.T), axis=0)
    close(ours0, per_row)


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gaussian_nll_vs_torch(full, reduction):
    r = rng()
    mu = r.normal(size=(10,)).astype(np.float32)
    y = r.normal(size=(10,)).astype(np.float32)
    var = r.uniform(0.1, 2.0, size=(10,)).astype(np.float32)
    var[0] = 0.0  # clamped to eps by both
    ours = losses.gaussian_nll_loss(mx.array(mu), mx.array(y), mx.array(var), full=full,
                                    reduction=reduction)
    ref = F.gaussian_nll_loss(t(mu), t(y), t(var), full=full, eps=1e-6, reduction=reduction)
    close(ours, ref.numpy(), rtol=1e-5)


def test_gaussian_nll_errors():
    with pytest.raises(ValueError, match=r"Inputs shape \(3,\) does not match targets shape \(2,\)\."):
        losses.gaussian_nll_loss(mx.zeros((3,)), mx.zeros((2,)), mx.ones((3,)))
    with pytest.raises(ValueError, match=r"Inputs shape \(3,\) does not match vars shape \(2,\)\."):
        losses.gaussian_nll_loss(mx.zeros((3,)), mx.zeros((3,)), mx.ones((2,)))
    with pytest.raises(ValueError, match=r"Inputs shape \(1, 3\) does not match vars shape \(1, 1\)\."):
        losses.gaussian_nll_loss(mx.zeros((1, 3)), mx.zeros((1, 3)), mx.ones((1, 1)))


# ----------------------------------------------------- embedding / ranking losses


@pytest.mark.parametrize("p", [1, 2, 3])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_triplet_numpy(p, reduction):
    r = rng()
    a, pos, neg = (r.normal(size=(6, 5)).astype(np.float32) for _ in range(3))
    margin, eps = 0.7, 1e-6

    def dist(u, v):
        return (np.sum(np.abs(u.astype(np.float64) - v) ** p, axis=-1) + eps) ** (1.0 / p)

    expected = np.maximum(dist(a, pos) - dist(a, neg) + margin, 0)
    ours = losses.triplet_loss(mx.array(a), mx.array(pos), mx.array(neg), p=p, margin=margin,
                               reduction=reduction)
    close(ours, reduce_np(expected, reduction), rtol=1e-5, atol=1e-5)


def test_triplet_axis_and_reference():
    x = mx.array([[1.0, 2.0, 3.0], [0.5, -1, 2]])
    close(losses.triplet_loss(x, x + 1, x * 2), [0.0, 0.440763])
    close(losses.triplet_loss(x.T, (x + 1).T, (x * 2).T, axis=0), [0.0, 0.440763])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cosine_similarity_vs_torch(reduction):
    r = rng()
    a = r.normal(size=(4, 6)).astype(np.float32)
    b = r.normal(size=(4, 6)).astype(np.float32)
    ours = losses.cosine_similarity_loss(mx.array(a), mx.array(b), reduction=reduction)
    ref = F.cosine_similarity(t(a), t(b), dim=1).numpy()
    close(ours, reduce_np(ref, reduction))
    close(losses.cosine_similarity_loss(mx.array(a.T), mx.array(b.T), axis=0), ref)


def test_cosine_similarity_zero_vector():
    out = losses.cosine_similarity_loss(mx.zeros((2, 3)), mx.ones((2, 3)))
    close(out, [0.0, 0.0])


@pytest.mark.parametrize("margin", [0.0, 0.5])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_ranking_vs_torch(margin, reduction):
    r = rng()
    a = r.normal(size=(9,)).astype(np.float32)
    b = r.normal(size=(9,)).astype(np.float32)
    y = np.where(r.random(9) < 0.5, -1.0, 1.0).astype(np.float32)
    ours = losses.margin_ranking_loss(mx.array(a), mx.array(b), mx.array(y), margin=margin,
                                      reduction=reduction)
    ref = F.margin_ranking_loss(t(a), t(b), t(y), margin=margin, reduction=reduction)
    close(ours, ref.numpy())


def test_margin_ranking_errors():
    with pytest.raises(ValueError, match=r"The shapes of the arguments do not match\. The provided "
                       r"shapes are inputs1\.shape=\(3,\), inputs2\.shape=\(2,\), and targets\.shape=\(3,\)\."):
        losses.margin_ranking_loss(mx.zeros((3,)), mx.zeros((2,)), mx.zeros((3,)))
    with pytest.raises(ValueError, match="targets.shape=\\(2,\\)"):
        losses.margin_ranking_loss(mx.zeros((3,)), mx.zeros((3,)), mx.zeros((2,)))


def test_defaults_match_mlx():
    import inspect

    expected = {
        "cross_entropy": "(logits, targets, weights=None, axis=-1, label_smoothing=0.0, reduction='none')",
        "binary_cross_entropy": "(inputs, targets, weights=None, with_logits=True, reduction='mean')",
        "l1_loss": "(predictions, targets, reduction='mean')",
        "mse_loss": "(predictions, targets, reduction='mean')",
        "nll_loss": "(inputs, targets, axis=-1, reduction='none')",
        "gaussian_nll_loss": "(inputs, targets, vars, full=False, eps=1e-06, reduction='mean')",
        "kl_div_loss": "(inputs, targets, axis=-1, reduction='none')",
        "smooth_l1_loss": "(predictions, targets, beta=1.0, reduction='mean')",
        "triplet_loss": "(anchors, positives, negatives, axis=-1, p=2, margin=1.0, eps=1e-06, reduction='none')",
        "hinge_loss": "(inputs, targets, reduction='none')",
        "huber_loss": "(inputs, targets, delta=1.0, reduction='none')",
        "log_cosh_loss": "(inputs, targets, reduction='none')",
        "cosine_similarity_loss": "(x1, x2, axis=1, eps=1e-08, reduction='none')",
        "margin_ranking_loss": "(inputs1, inputs2, targets, margin=0.0, reduction='none')",
    }
    for name, sig in expected.items():
        params = inspect.signature(getattr(losses, name)).parameters.values()
        text = "(" + ", ".join(
            p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
            for p in params) + ")"
        assert text == sig, name
