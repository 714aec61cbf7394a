"""mx.compile on composite functions, against the same functions
uncompiled: an MLP forward and backward, training steps with captured
state, a sampler that advances mx.random.state, shapeless functions,
retracing rules, disable/enable, errors, and the graph simplification
(through the private mx._compile_stats).  The retracing counts, error type
and sampler draws were checked against real MLX 0.32.4 (/opt/mlxref)."""

import os
import subprocess
import sys
from functools import partial

import numpy as np
import pytest

import mlx.core as mx


_CMLX = "mlxref" not in (getattr(mx, "__file__", "") or "") and not os.environ.get(
    "CMLX_TEST_REFERENCE")


def _np(a):
    return np.array(a.astype(mx.float32) if a.dtype != mx.float32 else a)


def _close(a, b, rtol=1e-6, atol=1e-6):
    np.testing.assert_allclose(_np(a), _np(b), rtol=rtol, atol=atol)


def _params(seed=0, sizes=(8, 16, 16, 4)):
    r = np.random.default_rng(seed)
    out = []
    for i, o in zip(sizes[:-1], sizes[1:]):
        out.append({"w": mx.array(r.standard_normal((i, o)).astype(np.float32) / np.sqrt(i)),
                    "b": mx.array(r.standard_normal((o,)).astype(np.float32) * 0.1)})
    return out


def _mlp(params, x):
    for k, layer in enumerate(params):
        x = x @ layer["w"] + layer["b"]
        if k < len(params) - 1:
            x = mx.maximum(x, 0.0) * 0.5 + mx.tanh(x) * 0.5
    return x


def _loss(params, x, y):
    return mx.mean(mx.square(_mlp(params, x) - y))


def _data(seed=1, n=32):
    r = np.random.default_rng(seed)
    return (mx.array(r.standard_normal((n, 8)).astype(np.float32)),
            mx.array(r.standard_normal((n, 4)).astype(np.float32)))


# --- MLP ------------------------------------------------------------------

def test_mlp_forward_matches():
    p = _params()
    x, _ = _data()
    _close(mx.compile(_mlp)(p, x), _mlp(p, x))


def test_value_and_grad_inside_compile():
    p = _params()
    x, y = _data()
    vg = mx.value_and_grad(_loss)
    cvg = mx.compile(vg)
    for _ in range(2):  # the second call replays the trace
        (l1, g1), (l2, g2) = cvg(p, x, y), vg(p, x, y)
        _close(l1, l2)
        for a, b in zip(g1, g2):
            _close(a["w"], b["w"])
            _close(a["b"], b["b"])


def test_grad_of_compiled_function():
    p = _params()
    x, y = _data()
    g1 = mx.grad(mx.compile(_loss))(p, x, y)
    g2 = mx.grad(_loss)(p, x, y)
    for a, b in zip(g1, g2):
        _close(a["w"], b["w"])


def _sgd_step(params, x, y, lr=0.1):
    loss, grads = mx.value_and_grad(_loss)(params, x, y)
    for layer, g in zip(params, grads):
        for k in layer:
            layer[k] = layer[k] - lr * g[k]
    return loss


def test_training_step_with_state():
    """inputs=/outputs= capture the parameters: each compiled step reads
    the current ones and writes the updated ones back."""
    pc, pu = _params(), _params()
    x, y = _data()
    step = mx.compile(partial(_sgd_step, pc), inputs=pc, outputs=pc)
    losses_c, losses_u = [], []
    for _ in range(5):
        losses_c.append(step(x, y).item())
        losses_u.append(_sgd_step(pu, x, y).item())
    np.testing.assert_allclose(losses_c, losses_u, rtol=1e-5)
    assert losses_c[-1] < losses_c[0]
    for a, b in zip(pc, pu):
        _close(a["w"], b["w"], rtol=1e-5, atol=1e-6)
        _close(a["b"], b["b"], rtol=1e-5, atol=1e-6)


def test_training_step_with_optimizer():
    nn = pytest.importorskip("mlx.nn")
    optim = pytest.importorskip("mlx.optimizers")

    def make():
        mx.random.seed(0)
        return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)), optim.Adam(1e-2)

    def loss_fn(model, x, y):
        return mx.mean(mx.square(model(x) - y))

    def run(compiled):
        model, opt = make()
        grad_fn = nn.value_and_grad(model, loss_fn)

        def step(x, y):
            loss, grads = grad_fn(model, x, y)
            opt.update(model, grads)
            return loss

        if compiled:
            state = [model.state, opt.state]
            step = mx.compile(step, inputs=state, outputs=state)
        x, y = _data()
        out = [step(x, y).item() for _ in range(4)]
        return out, model

    lc, mc = run(True)
    lu, mu = run(False)
    np.testing.assert_allclose(lc, lu, rtol=1e-5)
    _close(mc.layers[0].weight, mu.layers[0].weight, rtol=1e-5, atol=1e-6)


# --- random state -------------------------------------------------------------

@pytest.mark.parametrize("as_list", [False, True])
def test_sampler_advances_random_state(as_list):
    """As mlx-lm's sampler: the global key is state read and written by
    the compiled function, so draws advance and equal the uncompiled ones
    from the same seed (real MLX 0.32.4: seed 3 gives 484, 433, 575, 767)."""
    state = [mx.random.state] if as_list else mx.random.state

    @partial(mx.compile, inputs=state, outputs=state)
    def sample(logits, temp):
        return mx.random.categorical(logits * (1 / temp))

    logits = mx.zeros((1000,))
    mx.random.seed(3)
    keys = []
    got = []
    for _ in range(4):
        got.append(sample(logits, 1.0).item())
        keys.append(np.array(mx.random.state[0]).tolist())
    mx.random.seed(3)
    want = [mx.random.categorical(logits).item() for _ in range(4)]
    assert got == want
    assert got == [484, 433, 575, 767]
    assert len({tuple(k) for k in keys}) == 4  # the key moved every call


# --- shapeless -------------------------------------------------------------------

def test_shapeless_several_shapes():
    n = [0]

    def f(x, y):
        n[0] += 1
        return mx.exp(x) * y - mx.sin(x) / 2

    cf = mx.compile(f, shapeless=True)
    r = np.random.default_rng(0)
    for shape in [(3,), (17,), (1,), (1031,), (0,)]:
        x = mx.array(r.standard_normal(shape).astype(np.float32))
        y = mx.array(r.standard_normal(shape).astype(np.float32))
        assert np.array_equal(_np(cf(x, y)), _np(f(x, y)))
    assert n[0] == 1 + 5  # one trace; the uncompiled calls count too
    x2 = mx.ones((2, 3))
    cf(x2, x2)
    assert n[0] == 1 + 5 + 1  # a new rank traces again


# --- retracing ------------------------------------------------------------------

def test_retrace_rules():
    """Same signature: no trace; a new constant argument, shape or dtype:
    a new trace; an earlier signature: its cached trace (as MLX)."""
    n = [0]

    def f(x, k):
        n[0] += 1
        return x * k

    cf = mx.compile(f)
    x = mx.ones((3,))
    cf(x, 2)
    cf(x, 2)
    assert n[0] == 1
    cf(x, 3)
    assert n[0] == 2
    assert cf(x, 3).tolist() == [3.0, 3.0, 3.0]
    cf(mx.ones((4,)), 3)
    assert n[0] == 3
    cf(mx.ones((4,), mx.float16), 3)
    assert n[0] == 4
    cf(mx.ones((4,)), 3)
    assert n[0] == 4
    assert cf(mx.ones((4,), mx.float16), 3).dtype == mx.float16


def test_captured_array_is_a_constant():
    c = mx.array([1.0, 2.0, 3.0])
    cf = mx.compile(lambda x: x + c)
    assert cf(mx.zeros((3,))).tolist() == [1.0, 2.0, 3.0]


# --- disable / enable -------------------------------------------------------------

def test_disable_enable():
    n = [0]

    def f(x):
        n[0] += 1
        return x + 1

    cf = mx.compile(f)
    x = mx.ones((2,))
    try:
        mx.disable_compile()
        cf(x)
        cf(x)
        assert n[0] == 2  # runs the function every call
    finally:
        mx.enable_compile()
    cf(x)
    cf(x)
    assert n[0] == 3
    assert cf(x).tolist() == [2.0, 2.0]


def test_env_disable_compile():
    code = ("import mlx.core as mx\nn=[0]\ndef f(x):\n    n[0]+=1\n    return x*2\n"
            "cf=mx.compile(f)\nfor _ in range(3): cf(mx.ones((2,)))\nprint(n[0])\n")
    env = dict(os.environ, MLX_DISABLE_COMPILE="1")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "3"


# --- errors ---------------------------------------------------------------------------

_EVAL_MSG = "Attempting to eval an array during function transformations"


def test_eval_inside_raises():
    def f(x):
        y = x + 1
        mx.eval(y)
        return y

    with pytest.raises(ValueError, match=_EVAL_MSG):
        mx.compile(f)(mx.ones((2,)))


def test_item_inside_raises():
    with pytest.raises(ValueError, match=_EVAL_MSG):
        mx.compile(lambda x: (x + 1).item())(mx.array(1.0))


def test_python_exception_propagates():
    def f(x):
        raise KeyError("boom")

    with pytest.raises(KeyError):
        mx.compile(f)(mx.ones((2,)))


def test_not_callable():
    with pytest.raises(TypeError):
        mx.compile(3)


# --- graph simplification -----------------------------------------------------------

stats = getattr(mx, "_compile_stats", None)
needs_stats = pytest.mark.skipif(stats is None, reason="mx._compile_stats is cmlx's")


@needs_stats
def test_common_subexpressions_merge():
    x = mx.ones((5,))
    s = stats(lambda x: mx.exp(x) + mx.exp(x), x)
    assert s["steps"] == 2  # one exp, one add
    s = stats(lambda x: mx.sin(x) * mx.cos(x) + mx.sin(x) * mx.cos(x), x)
    assert s["steps"] == 4


@pytest.fixture
def on_cpu():
    """Fusion groups steps on CPU streams (the fused kernel is a CPU
    kernel), so the fusion tests trace with the CPU as default device."""
    before = mx.default_device()
    mx.set_default_device(mx.cpu)
    yield
    mx.set_default_device(before)


@needs_stats
def test_elementwise_chain_fuses(on_cpu):
    x = mx.ones((5,))

    def chain(x):
        return mx.tanh(mx.exp(mx.sin(mx.abs(mx.negative(x)))))

    s = stats(chain, x)
    assert s == {"steps": 5, "groups": 1, "fused_steps": 5}
    cf = mx.compile(chain)
    assert np.array_equal(_np(cf(x)), _np(chain(x)))


@needs_stats
def test_chain_with_scalars_fuses(on_cpu):
    x = mx.ones((5,))
    s = stats(lambda x: ((x * 2.0 + 1.0) * 3.0 - 0.5) / 4.0, x)
    assert s["groups"] == 1 and s["fused_steps"] == s["steps"] == 5


@needs_stats
def test_noops_removed():
    x = mx.ones((2, 3))
    s = stats(lambda x: mx.exp(mx.reshape(x, (2, 3)).astype(mx.float32)), x)
    assert s["steps"] == 1


@needs_stats
def test_non_elementwise_breaks_groups(on_cpu):
    x = mx.ones((4, 4))
    s = stats(lambda x: mx.exp(mx.sin(x)).sum(axis=0) * 2.0 + 1.0, x)
    assert s["groups"] == 2  # sin->exp, then *2 -> +1 after the reduction


def test_many_scalar_constants():
    """A long chain with a fresh scalar per op (a polynomial by Horner's
    rule) compiles and matches."""
    coeffs = [0.5, -1.0, 0.25, 2.0, -0.75, 1.5, 0.1, -0.2, 0.3, 0.05, -0.4, 0.6, 0.7, -0.8,
              0.9, 1.1, -1.2, 0.15, 0.35]

    def poly(x):
        acc = x * coeffs[0]
        for c in coeffs[1:]:
            acc = acc * x + c
        return acc

    x = mx.array(np.linspace(-1, 1, 37).astype(np.float32))
    assert np.array_equal(_np(mx.compile(poly)(x)), _np(poly(x)))
