"""mlx.optimizers against torch.optim (same parameters, same gradient
sequence, several steps) where torch implements the same update, NumPy
float64 formulas otherwise, and a step-by-step cross-check with real MLX
0.32.4 run in a subprocess (skipped without the reference install).

Parameter trees are plain dicts and lists, so nothing here depends on
mlx.nn layers.  Tests through mx.compile wait for mx.compile.
"""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

import mlx.core as mx
import mlx.optimizers as optim
from mlx.utils import tree_flatten, tree_map, tree_unflatten
from mlxref import ref_env  # noqa: E402

torch = pytest.importorskip("torch")

STEPS = 6
REF_PYTHON = "/opt/mlxref/bin/python"


def make_problem(seed=0, dtype=np.float32):
    r = np.random.default_rng(seed)
    params = {
        "w": r.normal(size=(5, 3)).astype(dtype),
        "layers": [{"b": r.normal(size=(3,)).astype(dtype)}, r.normal(size=(2, 2, 2)).astype(dtype)],
    }
    grads = [tree_map(lambda p: r.normal(size=p.shape).astype(dtype), params) for _ in range(STEPS)]
    return params, grads


def run_mlx(opt, params, grads):
    p = tree_map(mx.array, params)
    history = []
    for g in grads:
        p = opt.apply_gradients(tree_map(mx.array, g), p)
        history.append({k: np.array(v) for k, v in tree_flatten(p)})
    return history


def run_torch(make_opt, params, grads):
    flat = tree_flatten(params)
    tensors = [torch.tensor(v.astype(np.float64), requires_grad=True) for _, v in flat]
    opt = make_opt(tensors)
    history = []
    for g in grads:
        for t, (_, gv) in zip(tensors, tree_flatten(g)):
            t.grad = torch.tensor(gv.astype(np.float64))
        opt.step()
        history.append({k: t.detach().numpy().copy() for (k, _), t in zip(flat, tensors)})
    return history


def run_numpy(update, params, grads):
    """``update(step, g, p, state) -> new p`` per leaf, float64."""
    flat = {k: v.astype(np.float64) for k, v in tree_flatten(params)}
    states = {k: {} for k in flat}
    history = []
    for step, g in enumerate(grads, start=1):
        for k, gv in tree_flatten(g):
            flat[k] = update(step, gv.astype(np.float64), flat[k], states[k])
        history.append({k: v.copy() for k, v in flat.items()})
    return history


def assert_histories(ours, ref, rtol=2e-5, atol=2e-6):
    assert len(ours) == len(ref)
    for step, (a, b) in enumerate(zip(ours, ref)):
        assert a.keys() == b.keys()
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=rtol, atol=atol, err_msg=f"step {step} {k}")


# ------------------------------------------------------------ torch references

TORCH_CASES = {
    "sgd": (lambda: optim.SGD(0.1), lambda ps: torch.optim.SGD(ps, lr=0.1)),
    "sgd_momentum": (lambda: optim.SGD(0.05, momentum=0.9),
                     lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9)),
    "sgd_wd": (lambda: optim.SGD(0.05, momentum=0.9, weight_decay=0.1),
               lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.1)),
    "sgd_nesterov": (lambda: optim.SGD(0.05, momentum=0.8, nesterov=True, weight_decay=0.01),
                     lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)),
    "rmsprop": (lambda: optim.RMSprop(0.01, alpha=0.9),
                lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-8)),
    "adagrad": (lambda: optim.Adagrad(0.1),
                lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=1e-8)),
    "adadelta": (lambda: optim.AdaDelta(1.0, rho=0.9, eps=1e-6),
                 lambda ps: torch.optim.Adadelta(ps, lr=1.0, rho=0.9, eps=1e-6)),
    "adam_bc": (lambda: optim.Adam(0.01, betas=[0.8, 0.95], bias_correction=True),
                lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.95), eps=1e-8)),
    "adamw_bc": (lambda: optim.AdamW(0.01, weight_decay=0.1, bias_correction=True),
                 lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1, eps=1e-8)),
}


@pytest.mark.parametrize("name", sorted(TORCH_CASES))
def test_against_torch(name):
    ours_factory, torch_factory = TORCH_CASES[name]
    params, grads = make_problem()
    assert_histories(run_mlx(ours_factory(), params, grads),
                     run_torch(torch_factory, params, grads))


def test_clip_grad_norm_vs_torch():
    params, grads = make_problem(3)
    g = grads[0]
    for max_norm in [0.5, 2.0, 100.0]:
        clipped, norm = optim.clip_grad_norm(tree_map(mx.array, g), max_norm)
        tensors = [torch.tensor(v.astype(np.float64), requires_grad=True) for _, v in tree_flatten(g)]
        for t, (_, v) in zip(tensors, tree_flatten(g)):
            t.grad = torch.tensor(v.astype(np.float64))
        ref_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
        np.testing.assert_allclose(np.array(norm), ref_norm.item(), rtol=1e-5)
        for (k, v), t in zip(tree_flatten(clipped), tensors):
            np.testing.assert_allclose(np.array(v), t.grad.numpy(), rtol=1e-5, atol=1e-7, err_msg=k)
        assert tree_flatten(clipped)[0][0] == "w"


def test_clip_grad_norm_reference_values():
    clipped, norm = optim.clip_grad_norm({"w1": mx.array([2.0, 3.0]), "w2": [mx.array([1.0])]}, 2.0)
    np.testing.assert_allclose(np.array(norm), 3.74166, rtol=1e-5)
    np.testing.assert_allclose(np.array(clipped["w1"]), [1.06904, 1.60357], rtol=1e-5)
    np.testing.assert_allclose(np.array(clipped["w2"][0]), [0.534522], rtol=1e-5)
    empty, norm = optim.clip_grad_norm({}, 2.0)
    assert empty == {} and norm.item() == 0.0


# ------------------------------------------------------------ NumPy references


def sgd_dampening(lr, mu, tau):
    def update(step, g, p, s):
        s["v"] = mu * s.get("v", 0.0) + (1 - tau) * g
        return p - lr * s["v"]
    return update


def adam_plain(lr, b1, b2, eps, wd=0.0):
    def update(step, g, p, s):
        p = p * (1 - lr * wd)
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        return p - lr * s["m"] / (np.sqrt(s["v"]) + eps)
    return update


def adamax(lr, b1, b2, eps):
    def update(step, g, p, s):
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = np.maximum(b2 * s.get("v", 0.0), np.abs(g))
        return p - lr * s["m"] / (s["v"] + eps)
    return update


def lion(lr, b1, b2, wd):
    def update(step, g, p, s):
        m = s.get("m", 0.0)
        c = b1 * m + (1 - b1) * g
        s["m"] = b2 * m + (1 - b2) * g
        p = p * (1 - lr * wd)
        return p - lr * np.sign(c)
    return update


def adafactor(lr=None, eps=(1e-30, 1e-3), clip=1.0, decay=-0.8, beta1=None, wd=0.0,
              scale_parameter=True, relative_step=True, warmup_init=False):
    # Written from the Adafactor paper (Shazeer & Stern 2018, Algorithms 4
    # and 5) with MLX's documented options.
    def rms(x):
        return np.sqrt(np.mean(np.square(x)))

    def update(step, g, p, s):
        if relative_step:
            rho = min(1e-6 * step if warmup_init else 1e-2, 1 / math.sqrt(step))
        else:
            rho = lr
        alpha = max(eps[1], rms(p)) * rho if scale_parameter else rho
        beta2 = 1 - step**decay
        g2 = g * g + eps[0]
        if g.ndim >= 2:
            s["r"] = beta2 * s.get("r", 0.0) + (1 - beta2) * g2.mean(-1)
            s["c"] = beta2 * s.get("c", 0.0) + (1 - beta2) * g2.mean(-2)
            v = np.expand_dims(s["r"] / s["r"].mean(-1, keepdims=True), -1) * np.expand_dims(s["c"], -2)
        else:
            s["v"] = beta2 * s.get("v", 0.0) + (1 - beta2) * g2
            v = s["v"]
        u = g / np.sqrt(v)
        u = u / max(1.0, rms(u) / clip)
        u = alpha * u
        if beta1 is not None:
            s["m"] = beta1 * s.get("m", 0.0) + (1 - beta1) * u
            u = s["m"]
        p = p - wd * alpha * p
        return p - u
    return update


def newton_schulz(x, steps):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x.T if tall else x


def muon(lr, mu, wd, nesterov, ns_steps):
    def update(step, g, p, s):
        g = g + wd * p
        s["v"] = mu * s.get("v", 0.0) + (1 - mu) * g
        d = (1 - mu) * g + mu * s["v"] if nesterov else s["v"]
        scale = lr
        if d.ndim >= 2:
            d = newton_schulz(d.reshape(d.shape[0], -1), ns_steps).reshape(d.shape)
            scale = lr * math.sqrt(max(1.0, d.shape[-2] / d.shape[-1]))
        return p - scale * d
    return update


NUMPY_CASES = {
    "sgd_dampening": (lambda: optim.SGD(0.1, momentum=0.9, dampening=0.3), sgd_dampening(0.1, 0.9, 0.3)),
    "adam": (lambda: optim.Adam(0.01), adam_plain(0.01, 0.9, 0.999, 1e-8)),
    "adamw": (lambda: optim.AdamW(0.01, weight_decay=0.05), adam_plain(0.01, 0.9, 0.999, 1e-8, 0.05)),
    "adamax": (lambda: optim.Adamax(0.01, betas=[0.8, 0.9]), adamax(0.01, 0.8, 0.9, 1e-8)),
    "lion": (lambda: optim.Lion(0.01), lion(0.01, 0.9, 0.99, 0.0)),
    "lion_wd": (lambda: optim.Lion(0.01, weight_decay=0.1), lion(0.01, 0.9, 0.99, 0.1)),
    "adafactor": (lambda: optim.Adafactor(), adafactor()),
    "adafactor_lr": (lambda: optim.Adafactor(0.01, relative_step=False), adafactor(lr=0.01, relative_step=False)),
    "adafactor_b1_wd": (lambda: optim.Adafactor(beta_1=0.9, weight_decay=0.1), adafactor(beta1=0.9, wd=0.1)),
    "adafactor_warmup": (lambda: optim.Adafactor(warmup_init=True, scale_parameter=False, clip_threshold=0.5),
                         adafactor(warmup_init=True, scale_parameter=False, clip=0.5)),
    "muon": (lambda: optim.Muon(0.02), muon(0.02, 0.95, 0.01, True, 5)),
    "muon_plain": (lambda: optim.Muon(0.02, momentum=0.8, weight_decay=0.0, nesterov=False, ns_steps=3),
                   muon(0.02, 0.8, 0.0, False, 3)),
}


@pytest.mark.parametrize("name", sorted(NUMPY_CASES))
def test_against_numpy(name):
    make, update = NUMPY_CASES[name]
    params, grads = make_problem(1)
    rtol = 2e-4 if name.startswith("muon") else 2e-5
    assert_histories(run_mlx(make(), params, grads), run_numpy(update, params, grads),
                     rtol=rtol, atol=rtol / 10)


# ------------------------------------------------------------------ state


def test_state_layout_and_step_counter():
    opt = optim.SGD(0.1, momentum=0.9)
    assert opt.state["step"].dtype == mx.uint64 and opt.step.item() == 0
    assert opt.learning_rate.dtype == mx.float32
    np.testing.assert_allclose(opt.learning_rate.item(), 0.1, rtol=1e-7)
    params = {"weight": mx.zeros((2, 2)), "bias": mx.zeros((2,)), "list": [mx.zeros(1), {"x": mx.zeros(1)}]}
    opt.init(params)
    assert list(opt.state.keys()) == ["step", "learning_rate", "weight", "bias", "list"]
    assert list(opt.state["weight"]) == ["v"]
    assert opt.state["list"][1]["x"]["v"].shape == (1,)
    for _ in range(3):
        opt.apply_gradients(tree_map(mx.ones_like, params), params)
    assert opt.step.item() == 3


def test_init_keeps_existing_state():
    opt = optim.SGD(0.1, momentum=0.5)
    opt.init({"w": mx.zeros((2,))})
    opt.apply_gradients({"w": mx.ones((2,))}, {"w": mx.zeros((2,))})
    opt.init({"w": mx.zeros((2,)), "v": mx.zeros((1,))})
    assert opt.state["w"]["v"].tolist() == [1.0, 1.0]
    assert opt.state["v"]["v"].tolist() == [0.0]
    assert opt.step.item() == 1


def test_state_entries_per_optimizer():
    p = {"w": mx.zeros((3, 4)), "b": mx.zeros((4,))}
    expected = {
        optim.SGD(0.1): ["v"], optim.RMSprop(0.1): ["v"], optim.Adagrad(0.1): ["v"],
        optim.AdaDelta(0.1): ["v", "u"], optim.Adam(0.1): ["m", "v"], optim.AdamW(0.1): ["m", "v"],
        optim.Adamax(0.1): ["m", "v"], optim.Lion(0.1): ["m"], optim.Muon(0.1): ["v"],
    }
    for opt, keys in expected.items():
        opt.init(p)
        assert list(opt.state["w"]) == keys, type(opt).__name__
    af = optim.Adafactor(beta_1=0.9)
    af.init({"w": mx.zeros((3, 4)), "b": mx.zeros((4,)), "s": mx.array(1.0)})
    assert "learning_rate" not in af.state  # relative step: no learning rate
    assert af.state["w"]["exp_avg_sq_row"].shape == (3,)
    assert af.state["w"]["exp_avg_sq_col"].shape == (4,)
    assert af.state["w"]["exp_avg"].shape == (3, 4)
    assert list(af.state["b"]) == ["exp_avg_sq", "exp_avg"]
    assert af.state["s"]["exp_avg_sq"].shape == ()


def test_low_precision_parameters_keep_dtype():
    for opt in [optim.Adam(1e-2), optim.SGD(0.1, momentum=0.9), optim.Adafactor(), optim.Muon(0.1)]:
        p = {"a": mx.ones((3, 2), mx.float16)}
        out = opt.apply_gradients({"a": mx.ones((3, 2), mx.float16)}, p)
        assert out["a"].dtype == mx.float16, type(opt).__name__
    opt = optim.Adam(1e-2)
    out = opt.apply_gradients({"a": mx.array([1.0], mx.float16)}, {"a": mx.array([1.0], mx.float16)})
    assert opt.state["a"]["m"].dtype == mx.float16
    np.testing.assert_allclose(np.array(out["a"], dtype=np.float64), [0.968262], rtol=1e-3)


def test_state_save_and_load_roundtrip():
    params, grads = make_problem(2)
    mx_grads = [tree_map(mx.array, g) for g in grads]

    full = optim.Adam(0.01, bias_correction=True)
    p_full = tree_map(mx.array, params)
    for g in mx_grads:
        p_full = full.apply_gradients(g, p_full)

    first = optim.Adam(0.01, bias_correction=True)
    p = tree_map(mx.array, params)
    for g in mx_grads[:3]:
        p = first.apply_gradients(g, p)
    # Save as a flat dict of arrays (what safetensors stores) and reload.
    saved = {k: np.array(v) for k, v in tree_flatten(first.state)}
    second = optim.Adam(0.01, bias_correction=True)
    second.state = tree_unflatten([(k, mx.array(v)) for k, v in saved.items()])
    assert second.step.dtype == mx.uint64 and second.step.item() == 3
    for g in mx_grads[3:]:
        p = second.apply_gradients(g, p)
    for (k, a), (_, b) in zip(tree_flatten(p), tree_flatten(p_full)):
        np.testing.assert_array_equal(np.array(a), np.array(b), err_msg=k)


def test_state_leaves_are_arrays():
    # What mx.compile needs: every leaf of the state tree is an array.
    for opt in [optim.SGD(optim.cosine_decay(0.1, 10), momentum=0.9), optim.Adam(0.1, bias_correction=True),
                optim.Adafactor(), optim.Lion(0.1), optim.Muon(0.1)]:
        p = {"w": mx.ones((2, 3)), "b": [mx.ones((3,))]}
        opt.apply_gradients(tree_map(mx.ones_like, p), p)
        for k, v in tree_flatten(opt.state):
            assert isinstance(v, mx.array), (type(opt).__name__, k)


def test_compiled_step_matches_eager():
    params, grads = make_problem(4)
    eager = optim.Adam(optim.exponential_decay(0.01, 0.9), bias_correction=True)
    p_eager = run_mlx(eager, params, grads)[-1]

    opt = optim.Adam(optim.exponential_decay(0.01, 0.9), bias_correction=True)
    p = tree_map(mx.array, params)
    opt.init(p)
    holder = {"p": p}

    def step(g):
        holder["p"] = opt.apply_gradients(g, holder["p"])
        return holder["p"]

    compiled = mx.compile(step, inputs=[opt.state, holder], outputs=[opt.state, holder])
    for g in grads:
        compiled(tree_map(mx.array, g))
    for k, v in tree_flatten(holder["p"]):
        np.testing.assert_allclose(np.array(v), p_eager[k], rtol=1e-5, atol=1e-6)


def test_update_with_plain_dict_model():
    model = {"w": mx.array([1.0, 2.0]), "b": mx.array(0.5)}
    optim.SGD(0.5).update(model, {"w": mx.array([1.0, 1.0]), "b": mx.array(1.0)})
    assert model["w"].tolist() == [0.5, 1.5] and model["b"].item() == 0.0


def test_parameters_superset_of_gradients():
    opt = optim.Adam(1e-2)
    out = opt.apply_gradients({"a": mx.array(1.0)}, {"a": mx.array(1.0), "b": mx.array(2.0)})
    assert list(out) == ["a"]
    np.testing.assert_allclose(out["a"].item(), 0.968377, rtol=1e-5)
    with pytest.raises(KeyError):
        opt.apply_gradients({"c": mx.array(1.0)}, {"a": mx.array(1.0)})


def test_constructor_errors():
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening."):
        optim.SGD(0.1, nesterov=True)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening."):
        optim.SGD(0.1, momentum=0.9, nesterov=True, dampening=0.1)
    with pytest.raises(ValueError, match="RMSprop alpha should be >=0, -1 was provided instead"):
        optim.RMSprop(0.1, alpha=-1)
    with pytest.raises(ValueError, match="RMSprop epsilon should be >0, -1 was provided instead"):
        optim.RMSprop(0.1, eps=-1)
    with pytest.raises(ValueError, match="Adagrad epsilon should be >0, -1 was provided instead"):
        optim.Adagrad(0.1, eps=-1)
    with pytest.raises(ValueError, match="AdaDelta rho should be >=0, -1 was provided instead"):
        optim.AdaDelta(0.1, rho=-1)
    with pytest.raises(ValueError, match="AdaDelta epsilon should be >0, -1 was provided instead"):
        optim.AdaDelta(0.1, eps=-1)


# -------------------------------------------------------------- learning rate


def test_learning_rate_property_and_setter():
    opt = optim.SGD(1)
    assert opt.learning_rate.dtype == mx.int32  # kept as given, like MLX
    opt = optim.SGD(0.1)
    opt.learning_rate = 0.5
    assert opt.state["learning_rate"].item() == 0.5
    opt.learning_rate = mx.array(0.25, mx.float16)
    assert opt.learning_rate.dtype == mx.float16


def test_scheduled_learning_rate_is_evaluated_before_each_step():
    opt = optim.SGD(optim.exponential_decay(0.1, 0.9))
    np.testing.assert_allclose(opt.learning_rate.item(), 0.1, rtol=1e-6)
    out = opt.apply_gradients({"a": mx.array(1.0)}, {"a": mx.array(1.0)})
    np.testing.assert_allclose(out["a"].item(), 0.9, rtol=1e-6)
    out = opt.apply_gradients({"a": mx.array(1.0)}, {"a": mx.array(1.0)})
    np.testing.assert_allclose(out["a"].item(), 0.91, rtol=1e-6)
    np.testing.assert_allclose(opt.learning_rate.item(), 0.09, rtol=1e-6)


@pytest.mark.parametrize(
    "make, updates, expected",
    [  # The docstring examples of MLX 0.32.4.
        (lambda: optim.SGD(optim.cosine_decay(1e-1, 1000)), 5, 0.0999961),
        (lambda: optim.SGD(optim.exponential_decay(1e-1, 0.9)), 5, 0.06561),
        (lambda: optim.SGD(optim.step_decay(1e-1, 0.9, 10)), 21, 0.081),
        (lambda: optim.Adam(optim.linear_schedule(0, 1e-1, 100)), 101, 0.1),
        (lambda: optim.Adam(optim.join_schedules([optim.linear_schedule(0, 1e-1, steps=10),
                                                  optim.cosine_decay(1e-1, 200)], [10])), 12, 0.0999938),
    ],
)
def test_schedule_docstring_examples(make, updates, expected):
    opt = make()
    for _ in range(updates):
        opt.update({}, {})
    np.testing.assert_allclose(opt.learning_rate.item(), expected, rtol=1e-5)


def test_schedule_formulas():
    steps = np.arange(0, 40)
    sd = optim.step_decay(0.1, 0.9, 10)
    ed = optim.exponential_decay(0.1, 0.97)
    cd = optim.cosine_decay(0.1, 25, 0.01)
    ls = optim.linear_schedule(0.02, 0.1, 30)
    for s in steps:
        np.testing.assert_allclose(np.array(sd(mx.array(s))), 0.1 * 0.9 ** (s // 10), rtol=1e-6)
        np.testing.assert_allclose(np.array(ed(mx.array(s))), 0.1 * 0.97**s, rtol=1e-5)
        c = min(s, 25)
        np.testing.assert_allclose(np.array(cd(mx.array(s))),
                                   0.01 + 0.5 * (1 + math.cos(math.pi * c / 25)) * 0.09, rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(np.array(ls(mx.array(s))), 0.02 + 0.08 * min(s, 30) / 30, rtol=1e-6)
    # Python ints go through too (step_decay and exponential_decay stay Python floats).
    assert sd(21) == pytest.approx(0.081)
    assert ed(3) == pytest.approx(0.1 * 0.97**3)


def test_join_schedules():
    sched = optim.join_schedules([lambda s: s * 1.0, lambda s: s * 10.0, lambda s: s * 100.0], [3, 5])
    got = [sched(mx.array(s)).item() for s in [0, 2, 3, 4, 5, 9]]
    assert got == [0.0, 2.0, 0.0, 10.0, 0.0, 400.0]
    with pytest.raises(ValueError, match="Must provide at least 1 schedule to join."):
        optim.join_schedules([], [])
    with pytest.raises(ValueError, match="Received 1 boundaries but expected 0."):
        optim.join_schedules([optim.linear_schedule(0.0, 0.1, 10)], [10])
    with pytest.raises(ValueError, match="Received 0 boundaries but expected 1."):
        optim.join_schedules([lambda s: s, lambda s: s], [])


def test_linear_schedule_errors():
    for steps in [0, -1]:
        with pytest.raises(ValueError, match=f"steps must be greater than 0, but got {steps}."):
            optim.linear_schedule(0.0, 0.1, steps)


# ------------------------------------------------------------- MultiOptimizer


def test_multi_optimizer():
    mo = optim.MultiOptimizer([optim.SGD(0.1), optim.Adam(0.1)], [lambda path, w: "a" in path])
    assert list(mo.state) == ["states"] and len(mo.state["states"]) == 2
    params = {"a": mx.array(1.0), "b": {"c": mx.array(2.0)}}
    out = mo.apply_gradients({"a": mx.array(1.0), "b": {"c": mx.array(2.0)}}, params)
    np.testing.assert_allclose(out["a"].item(), 0.9, rtol=1e-6)
    np.testing.assert_allclose(out["b"]["c"].item(), 1.68377, rtol=1e-5)
    sgd_state, adam_state = mo.state["states"]
    assert "a" in sgd_state and "b" not in sgd_state
    assert "b" in adam_state and "a" not in adam_state
    np.testing.assert_allclose(mo.learning_rate.item(), 0.1, rtol=1e-6)
    with pytest.raises(ValueError, match="Given 0 filters but 1 needed."):
        optim.MultiOptimizer([optim.SGD(0.1), optim.Adam(0.1)], [])
    single = optim.MultiOptimizer([optim.SGD(0.1)])
    assert len(single.state["states"]) == 1


def test_signatures_match_mlx():
    import inspect

    def sig(cls):
        return [(p.name, p.default) for p in inspect.signature(cls.__init__).parameters.values()][1:]

    E = inspect.Parameter.empty
    assert sig(optim.SGD) == [("learning_rate", E), ("momentum", 0.0), ("weight_decay", 0.0),
                              ("dampening", 0.0), ("nesterov", False)]
    assert sig(optim.Adam) == [("learning_rate", E), ("betas", [0.9, 0.999]), ("eps", 1e-8),
                               ("bias_correction", False)]
    assert sig(optim.AdamW) == [("learning_rate", E), ("betas", [0.9, 0.999]), ("eps", 1e-8),
                                ("weight_decay", 0.01), ("bias_correction", False)]
    assert sig(optim.Lion) == [("learning_rate", E), ("betas", [0.9, 0.99]), ("weight_decay", 0.0)]
    assert sig(optim.Adafactor) == [("learning_rate", None), ("eps", (1e-30, 1e-3)), ("clip_threshold", 1.0),
                                    ("decay_rate", -0.8), ("beta_1", None), ("weight_decay", 0.0),
                                    ("scale_parameter", True), ("relative_step", True), ("warmup_init", False)]
    assert sig(optim.Muon) == [("learning_rate", E), ("momentum", 0.95), ("weight_decay", 0.01),
                               ("nesterov", True), ("ns_steps", 5)]


# ------------------------------------------------------- real MLX cross-check

CROSS_SCRIPT = r"""
import json, sys
import numpy as np
import mlx.core as mx
import mlx.optimizers as optim
from mlx.utils import tree_flatten, tree_map
spec = json.loads(sys.stdin.read())
out = {}
for name, ctor in spec["ctors"].items():
    opt = eval(ctor)
    p = {k: mx.array(np.array(v, dtype=np.float32)) for k, v in spec["params"].items()}
    hist = []
    for g in spec["grads"]:
        p = opt.apply_gradients({k: mx.array(np.array(v, dtype=np.float32)) for k, v in g.items()}, p)
        hist.append({k: np.array(v).tolist() for k, v in p.items()})
    out[name] = {"hist": hist, "state": {k: np.array(v).astype(np.float64).tolist()
                                         for k, v in tree_flatten(opt.state)}}
print(json.dumps(out))
"""

CROSS_CTORS = {
    "sgd_d": "optim.SGD(0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)",
    "adam_bc": "optim.Adam(0.01, bias_correction=True, betas=[0.8, 0.9])",
    "adamw": "optim.AdamW(0.01)",
    "adamax": "optim.Adamax(0.01)",
    "lion": "optim.Lion(0.01, weight_decay=0.1)",
    "adafactor": "optim.Adafactor(beta_1=0.9, weight_decay=0.1)",
    "adafactor_lr": "optim.Adafactor(0.01, relative_step=False)",
    "muon": "optim.Muon(0.02)",
    "sched": "optim.SGD(optim.join_schedules([optim.linear_schedule(0, 0.1, 2), "
             "optim.cosine_decay(0.1, 4, 0.01)], [2]), momentum=0.5)",
}


def test_cross_check_with_real_mlx():
    if not os.path.exists(REF_PYTHON):
        pytest.skip("reference MLX install not present")
    r = np.random.default_rng(7)
    params = {"w": r.normal(size=(6, 4)).astype(np.float32), "b": r.normal(size=(4,)).astype(np.float32),
              "c": r.normal(size=(3, 5, 2)).astype(np.float32)}
    grads = [{k: r.normal(size=v.shape).astype(np.float32) for k, v in params.items()} for _ in range(5)]
    spec = {"ctors": CROSS_CTORS, "params": {k: v.tolist() for k, v in params.items()},
            "grads": [{k: v.tolist() for k, v in g.items()} for g in grads]}
    done = subprocess.run([REF_PYTHON, "-c", CROSS_SCRIPT], env=ref_env(), input=json.dumps(spec),
                          capture_output=True, text=True, cwd="/", timeout=300)
    if done.returncode != 0:
        pytest.skip("reference MLX failed: " + done.stderr[-500:])
    ref = json.loads(done.stdout)
    for name, ctor in CROSS_CTORS.items():
        opt = eval(ctor)
        p = tree_map(mx.array, params)
        for step, g in enumerate(grads):
            p = opt.apply_gradients(tree_map(mx.array, g), p)
            for k, v in p.items():
                np.testing.assert_allclose(np.array(v), np.array(ref[name]["hist"][step][k]),
                                           rtol=1e-5, atol=1e-6, err_msg=f"{name} step {step} {k}")
        ours_state = {k: np.array(v).astype(np.float64) for k, v in tree_flatten(opt.state)}
        assert sorted(ours_state) == sorted(ref[name]["state"]), name
        for k, v in ours_state.items():
            np.testing.assert_allclose(v, np.array(ref[name]["state"][k]), rtol=1e-5, atol=1e-7,
                                       err_msg=f"{name} state {k}")
