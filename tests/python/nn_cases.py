"""Layer cases shared by gen_nn_refs.py (run with real MLX) and test_nn_layers.py.

Each case is (name, constructor, input specs, call).  An input spec is a shape
(float32 standard normal) or "i(shape)<n" (int32 in [0, n)); inputs come from
numpy.random.RandomState(0) in case order, so both sides draw the same data.
The call is evaluated with m (the layer), nn, mx and x0, x1, ... in scope.
"""

import numpy as np

CASES = [
 ("linear", "nn.Linear(5,3)", [(2,4,5)], "m(x0)"),
 ("linear_nb", "nn.Linear(5,3,bias=False)", [(4,5)], "m(x0)"),
 ("bilinear", "nn.Bilinear(3,4,5)", [(2,3),(2,4)], "m(x0,x1)"),
 ("bilinear3", "nn.Bilinear(3,4,5)", [(2,6,3),(2,6,4)], "m(x0,x1)"),
 ("emb", "nn.Embedding(10,4)", ["i(2,3)<10"], "m(x0)"),
 ("emb_lin", "nn.Embedding(10,4)", [(2,4)], "m.as_linear(x0)"),
 ("conv1d", "nn.Conv1d(4,6,3,stride=2,padding=1,dilation=1,groups=2)", [(2,9,4)], "m(x0)"),
 ("conv2d", "nn.Conv2d(3,4,(3,2),stride=(2,1),padding=1)", [(2,7,6,3)], "m(x0)"),
 ("conv3d", "nn.Conv3d(2,3,2,padding=1)", [(1,4,4,4,2)], "m(x0)"),
 ("convt1d", "nn.ConvTranspose1d(3,5,3,stride=2,padding=1,output_padding=1)", [(2,6,3)], "m(x0)"),
 ("convt2d", "nn.ConvTranspose2d(3,2,3,stride=2,padding=1)", [(1,4,5,3)], "m(x0)"),
 ("convt3d", "nn.ConvTranspose3d(2,2,2,stride=2)", [(1,3,3,3,2)], "m(x0)"),
 ("ln", "nn.LayerNorm(6)", [(3,4,6)], "m(x0)"),
 ("ln_na", "nn.LayerNorm(6, affine=False, eps=1e-3)", [(3,6)], "m(x0)"),
 ("rms", "nn.RMSNorm(6)", [(3,4,6)], "m(x0)"),
 ("gn", "nn.GroupNorm(2,6)", [(2,3,5,6)], "m(x0)"),
 ("gn_pt", "nn.GroupNorm(3,6,pytorch_compatible=True)", [(2,3,5,6)], "m(x0)"),
 ("in", "nn.InstanceNorm(4, affine=True)", [(2,5,3,4)], "m(x0)"),
 ("bn_train", "nn.BatchNorm(4)", [(6,5,4)], "(m(x0), m.running_mean, m.running_var)"),
 ("bn_eval", "nn.BatchNorm(4)", [(6,4)], "(m(x0), m.eval()(x0*2))"),
 ("bn_nt", "nn.BatchNorm(4, affine=False, track_running_stats=False)", [(3,2,2,4)], "m(x0)"),
 ("mha", "nn.MultiHeadAttention(8,2,bias=True)", [(2,5,8),(2,7,8),(2,7,8)], "m(x0,x1,x2)"),
 ("mha_mask", "nn.MultiHeadAttention(8,4)", [(2,5,8)], "m(x0,x0,x0,nn.MultiHeadAttention.create_additive_causal_mask(5))"),
 ("mha_dims", "nn.MultiHeadAttention(8,2,query_input_dims=3,key_input_dims=4,value_input_dims=5,value_dims=6,value_output_dims=7)", [(2,5,3),(2,6,4),(2,6,5)], "m(x0,x1,x2)"),
 ("enc", "nn.TransformerEncoder(2,8,2)", [(2,5,8)], "m(x0, None)"),
 ("enc_post", "nn.TransformerEncoder(2,8,2,norm_first=False, activation=nn.gelu)", [(2,5,8)], "m(x0, nn.MultiHeadAttention.create_additive_causal_mask(5))"),
 ("dec", "nn.TransformerDecoder(2,8,2,mlp_dims=12)", [(2,5,8),(2,3,8)], "m(x0, x1, nn.MultiHeadAttention.create_additive_causal_mask(5), None)"),
 ("dec_post", "nn.TransformerDecoder(1,8,2,norm_first=False)", [(2,5,8),(2,3,8)], "m(x0, x1, None, None)"),
 ("tf", "nn.Transformer(8,2,1,1,16)", [(2,5,8),(2,4,8)], "m(x0, x1, None, nn.MultiHeadAttention.create_additive_causal_mask(4), None)"),
 ("rnn", "nn.RNN(3,4)", [(2,5,3)], "m(x0)"),
 ("rnn_h", "nn.RNN(3,4,nonlinearity=nn.relu)", [(5,3),(4,)], "m(x0, x1)"),
 ("gru", "nn.GRU(3,4)", [(2,5,3)], "m(x0)"),
 ("gru_h", "nn.GRU(3,4)", [(2,5,3),(2,4)], "m(x0, x1)"),
 ("lstm", "nn.LSTM(3,4)", [(2,5,3)], "m(x0)"),
 ("lstm_hc", "nn.LSTM(3,4)", [(2,5,3),(2,4),(2,4)], "m(x0, x1, x2)"),
 ("maxpool1", "nn.MaxPool1d(3,2,1)", [(2,9,3)], "m(x0)"),
 ("maxpool2", "nn.MaxPool2d((2,3),(1,2),(1,1))", [(2,5,7,3)], "m(x0)"),
 ("maxpool3", "nn.MaxPool3d(2)", [(1,4,5,4,2)], "m(x0)"),
 ("avgpool1", "nn.AvgPool1d(2,1,1)", [(2,6,3)], "m(x0)"),
 ("avgpool2", "nn.AvgPool2d(3,2,1)", [(2,7,7,3)], "m(x0)"),
 ("avgpool3", "nn.AvgPool3d((1,2,2))", [(1,3,4,4,2)], "m(x0)"),
 ("up_n2", "nn.Upsample(2)", [(1,4,5,2)], "m(x0)"),
 ("up_n17", "nn.Upsample((1.7,0.5))", [(1,5,10,2)], "m(x0)"),
 ("up_l", "nn.Upsample((1.7,2.3),'linear')", [(1,5,4,2)], "m(x0)"),
 ("up_lac", "nn.Upsample(2.5,'linear',True)", [(1,5,4,2)], "m(x0)"),
 ("up_c", "nn.Upsample((1.7,2),'cubic')", [(1,5,4,2)], "m(x0)"),
 ("up_cac", "nn.Upsample(1.5,'cubic',True)", [(1,5,4,3,2)], "m(x0)"),
 ("up_l1d", "nn.Upsample(0.5,'linear')", [(1,10,2)], "m(x0)"),
 ("rope", "nn.RoPE(8)", [(2,3,5,8)], "m(x0)"),
 ("rope_trad", "nn.RoPE(6, traditional=True, base=500, scale=0.5)", [(2,5,8)], "m(x0, offset=3)"),
 ("rope_partial", "nn.RoPE(4)", [(2,5,10)], "m(x0, offset=7)"),
 ("sinus", "nn.SinusoidalPositionalEncoding(8)", [(3,4)], "m(x0)"),
 ("sinus2", "nn.SinusoidalPositionalEncoding(10, min_freq=0.01, max_freq=2, scale=1.0, cos_first=True, full_turns=True)", [(5,)], "m(x0)"),
 ("alibi", "nn.ALiBi()", [(2,4,3,5)], "m(x0)"),
 ("alibi6", "nn.ALiBi()", [(1,6,2,4),(2,4)], "m(x0, offset=2, mask=x1)"),
 ("alibi_mat", "nn.Identity()", [], "(nn.ALiBi.create_alibi_matrix(5,4,3,2), nn.ALiBi.create_alibi_slope(7))"),
 ("causal", "nn.Identity()", [], "(nn.MultiHeadAttention.create_additive_causal_mask(4), nn.MultiHeadAttention.create_additive_causal_mask(3, mx.float16))"),
 ("prelu", "nn.PReLU(4, 0.1)", [(3,4)], "m(x0)"),
 ("seq", "nn.Sequential(nn.Linear(4,5), nn.GELU(), nn.Linear(5,2), nn.Softmax())", [(3,4)], "m(x0)"),
 ("drop_eval", "nn.Dropout(0.3)", [(3,4)], "m.eval()(x0)"),
 ("drop2d_eval", "nn.Dropout2d(0.3)", [(2,3,4,5)], "m.eval()(x0)"),
]
ACTS = ["relu","relu6","relu2","leaky_relu","elu","celu","selu","gelu","gelu_approx","gelu_fast_approx","silu","sigmoid","hard_tanh","hardswish","hard_shrink","softshrink","softplus","softsign","softmax","softmin","log_softmax","log_sigmoid","mish","tanh","glu","step"]
MODS = ["ReLU()","ReLU6()","ReLU2()","LeakyReLU(0.2)","ELU(0.5)","CELU(1.5)","SELU()","GELU()","GELU('precise')","GELU('tanh')","GELU('fast')","SiLU()","Sigmoid()","HardTanh()","Hardswish()","HardShrink(0.7)","Softshrink(0.3)","Softplus()","Softsign()","Softmax()","Softmin()","LogSoftmax()","LogSigmoid()","Mish()","Tanh()","GLU(0)","Step(0.2)"]
for a in ACTS:
    CASES.append(("f_"+a, "nn.Identity()", [(4,6)], f"nn.{a}(x0*3)"))
for a in MODS:
    CASES.append(("m_"+a, "nn."+a, [(4,6)], "m(x0*3)"))


def make_inputs():
    """Inputs of every case, by case name, drawn in case order."""
    rs = np.random.RandomState(0)
    out = {}
    for name, _, specs, _ in CASES:
        xs = []
        for spec in specs:
            if isinstance(spec, str):
                shape, high = spec[1:].split("<")
                xs.append(rs.randint(0, int(high), size=eval(shape)).astype(np.int32))
            else:
                xs.append(rs.randn(*spec).astype(np.float32))
        out[name] = xs
    return out


# Constructors whose repr, parameter shapes/dtypes, trainable keys and item
# keys are recorded from real MLX.
STRUCTURE = [
    "nn.Linear(2,3)", "nn.Linear(2,3,bias=False)", "nn.Bilinear(2,3,4)", "nn.Bilinear(2,3,4,bias=False)",
    "nn.Identity(1,2,a=3)", "nn.Embedding(3,4)",
    "nn.Conv1d(2,4,3,groups=2)", "nn.Conv1d(2,4,3,stride=2,padding=1,dilation=2,bias=False)",
    "nn.Conv2d(2,4,(3,2),dilation=(2,1),groups=2)", "nn.Conv2d(1,2,3)", "nn.Conv3d(1,2,3)",
    "nn.ConvTranspose1d(2,4,3)", "nn.ConvTranspose2d(2,4,3,stride=2,dilation=(1,2))",
    "nn.ConvTranspose3d(1,2,(1,2,3),output_padding=1)",
    "nn.BatchNorm(3)", "nn.BatchNorm(3,affine=False,track_running_stats=False)", "nn.InstanceNorm(3)",
    "nn.InstanceNorm(3, affine=True)", "nn.GroupNorm(2,4)", "nn.GroupNorm(2,4,affine=False,pytorch_compatible=True)",
    "nn.LayerNorm(3)", "nn.LayerNorm(3,bias=False)", "nn.LayerNorm(3,affine=False,eps=1e-3)", "nn.RMSNorm(5, 1e-6)",
    "nn.Dropout(0.1)", "nn.Dropout()", "nn.Dropout2d(0.2)", "nn.Dropout3d(0.25)",
    "nn.RNN(2,3,bias=False)", "nn.GRU(2,3)", "nn.GRU(2,3,bias=False)", "nn.LSTM(2,3)", "nn.LSTM(2,3,bias=False)",
    "nn.PReLU(3)", "nn.PReLU()", "nn.Upsample(2)", "nn.Upsample((1,2.5),'cubic',True)", "nn.Upsample(1.5,'linear')",
    "nn.MaxPool1d(3,2,1)", "nn.MaxPool2d((2,3),padding=(1,1))", "nn.MaxPool3d(2)", "nn.AvgPool1d(2)",
    "nn.AvgPool2d(3,1,1)", "nn.AvgPool3d(2,1)",
    "nn.RoPE(4)", "nn.RoPE(4, True, 100, 2.0)", "nn.ALiBi()", "nn.SinusoidalPositionalEncoding(8, cos_first=True)",
    "nn.MultiHeadAttention(8,2)",
    "nn.MultiHeadAttention(8,2,key_input_dims=4,value_input_dims=6,value_dims=10,value_output_dims=12,query_input_dims=5, bias=True)",
    "nn.TransformerEncoderLayer(8,2,norm_first=False)", "nn.TransformerDecoderLayer(8,2,16)",
    "nn.TransformerEncoder(2,8,2)", "nn.TransformerDecoder(1,8,2,12)", "nn.Transformer(8,2,1,1)",
    "nn.Transformer(8,2,1,1,custom_encoder=nn.Identity())",
    "nn.Sequential(nn.ReLU(), nn.Linear(1,1), nn.Sequential(nn.Tanh()))", "nn.Sequential()",
    "nn.GELU()", "nn.GELU('fast')", "nn.Step(0.5)", "nn.GLU(1)", "nn.Softshrink(0.2)", "nn.LeakyReLU(0.3)",
    "nn.ELU(0.5)", "nn.CELU()", "nn.HardShrink()", "nn.ReLU2()", "nn.Softmin()", "nn.Module()",
]


def torch_activations(torch):
    """(name, PyTorch reference) for each mlx.nn activation function with a
    gradient, shared by the forward and the gradient tests.  torch is passed
    in so that this file stays importable where it is missing (gen_nn_refs.py
    runs under real MLX)."""
    F = torch.nn.functional
    return [
        ("relu", F.relu), ("relu6", F.relu6), ("relu2", lambda v: F.relu(v) ** 2),
        ("leaky_relu", F.leaky_relu), ("elu", F.elu), ("celu", F.celu), ("selu", F.selu),
        ("gelu", F.gelu), ("gelu_approx", lambda v: F.gelu(v, approximate="tanh")),
        ("gelu_fast_approx", lambda v: v * torch.sigmoid(1.702 * v)),
        ("silu", F.silu), ("sigmoid", torch.sigmoid), ("hard_tanh", F.hardtanh),
        ("hardswish", F.hardswish), ("hard_shrink", F.hardshrink), ("softshrink", F.softshrink),
        ("softplus", F.softplus), ("softsign", F.softsign),
        ("softmax", lambda v: F.softmax(v, -1)), ("softmin", lambda v: F.softmin(v, -1)),
        ("log_softmax", lambda v: F.log_softmax(v, -1)), ("log_sigmoid", F.logsigmoid),
        ("mish", F.mish), ("tanh", torch.tanh), ("glu", F.glu),
    ]
