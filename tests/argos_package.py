"""Build argos packages offline for the tests and the benchmark.

THESE ARE TEST PACKAGES, NOT TRANSLATION MODELS. No real argos model can be downloaded on the
machines this project is built on, so the tests make their own `.argosmodel` files with real
SentencePiece and real CTranslate2 and install them through the real argostranslate API:

* ``kind="copy"`` — a tiny Transformer (1+1 layers) whose weights are written by hand (numpy, no
  torch) so that it "translates" by returning its SentencePiece-normalised input. One
  cross-attention head looks up the source token at the decoder's own position; every other
  sub-layer adds nothing to the residual stream; ``add_source_eos`` makes it copy ``</s>`` and stop.
  Deterministic, so tests can assert outputs exactly.
* ``kind="random"`` — a model of any shape (the benchmark uses transformer-base: 6+6 layers,
  d_model 512, 8 heads, FFN 2048) with distinct random weights (CTranslate2 stores identical
  tensors once, which would flatter a model of zeros) whose output is junk of a fixed length: the
  decoder's position encodings switch on one dimension from step ``stop_at`` that only the ``</s>``
  row of the output projection reads, so every system decodes exactly ``stop_at`` tokens.

The metadata names and README of every package say that it is a test package.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from pathlib import Path

TEST_NOTICE = (
    "TEST PACKAGE, NOT A TRANSLATION MODEL. Built offline by tests/argos_package.py for the "
    "translate desk's tests and benchmark: it copies its input (kind 'copy') or emits junk "
    "(kind 'random')."
)

_RU = [
    "Пакистан пытается сблизиться с Россией, но на пути стоят старые обиды.",
    "Владимир Путин должен был прилететь в Исламабад на саммит.",
    "Переговоры с Газпромом буксуют уже несколько месяцев.",
    "Индия остается крупнейшим покупателем российского оружия.",
    "Эксперты Центра анализа стратегий и технологий напоминают о маршрутах снабжения.",
    "О проектах стоимостью свыше 1 000 млн долларов пока говорят лишь в общих словах.",
    "Первый удар по новым надеждам нанес Кремль.",
    "Москва смотрела на него с подозрением со времен холодной войны.",
    "Генерал Ашфак Парвез Кайани прибыл в Москву с визитом.",
    "«Газпром» примет участие в строительстве газопровода из Ирана.",
    "На долю России приходится не более 3,5 % внешней торговли.",
    "Так что 2012 год может стать для двух стран точкой отсчета.",
    "Новатэк и Росатом подписали соглашение в Санкт-Петербурге.",
    "Министр финансов заявил, что бюджет будет исполнен в срок.",
    "В понедельник цены на нефть выросли на два процента.",
]
_ES = [
    "Las orquídeas de Santa Rita han atraído a quienes migraron de la zona.",
    "La cooperativa vende flores en San Cristóbal de las Casas.",
    "El precio del café cayó un 11,6 % el año pasado.",
    "Más de 3.000 familias viven del cultivo en la sierra de Chiapas.",
    "El Sr. López dijo que la lluvia llegó tarde este año.",
    "Los campesinos esperan que el gobierno de EE. UU. compre más flores.",
    "La Dra. Martínez estudia las especies endémicas de la región.",
    "¿Quién pagará los costos del transporte hasta la capital?",
    "Las mujeres del ejido organizan un mercado cada domingo.",
    "Según la comisión, la deforestación avanzó durante la última década.",
    "El municipio prometió una carretera nueva antes de las elecciones.",
    "Los jóvenes se fueron a trabajar a Cancún y a Estados Unidos.",
    "La feria de las orquídeas atrae a turistas de todo el país.",
    "El invernadero fue construido con ayuda de una fundación alemana.",
    "A las 7 a. m. comienza la jornada en el vivero comunitario.",
]
_EN = [
    "Pakistan is trying to move closer to Russia, but old grievances stand in the way.",
    "Talks with Gazprom have stalled for several months.",
    "India remains the largest buyer of Russian weapons.",
    "The orchids of Santa Rita have drawn back people who left the area.",
    "The cooperative sells flowers in San Cristobal de las Casas.",
    "The price of coffee fell 11.6 percent last year.",
    "More than 3,000 families live from farming in the Chiapas highlands.",
    "The minister said the budget would be carried out on time.",
    "Oil prices rose two percent on Monday.",
    "The municipality promised a new road before the elections.",
]


def corpus() -> list[str]:
    """A few hundred lines in Russian, Spanish and English written here, for SentencePiece."""
    lines: list[str] = []
    for block in (_RU, _ES, _EN):
        lines += block
        for i, a in enumerate(block):
            b = block[(i * 7 + 3) % len(block)]
            lines.append(f"{a} {b}")
            lines.append(" ".join(reversed(a.rstrip(".?!").split())) + ".")
            lines.append(a.upper())
            lines.append(a.lower())
    lines.append("0123456789 «» „“ “” ‘’ — – … % $ € № ( ) [ ] ¿ ¡ : ; , . ! ? - _ / ' \"")
    return lines


def train_sentencepiece(lines: list[str] | None = None, vocab_size: int = 700) -> bytes:
    """Train a SentencePiece model in memory (byte fallback: any input text round-trips)."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines or corpus()),
        model_writer=buffer,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        byte_fallback=True,
        character_coverage=1.0,
        minloglevel=2,
    )
    return buffer.getvalue()


def _pieces(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _balanced_codes(rng, count: int, dims: int):
    """`count` random ±1 vectors with as many +1 as -1 (zero mean: LayerNorm only rescales them)."""
    import numpy as np

    base = np.array([1.0] * (dims // 2) + [-1.0] * (dims - dims // 2), dtype=np.float32)
    return np.stack([rng.permutation(base) for _ in range(count)])


def _layer_norm(ln, dims: int) -> None:
    import numpy as np

    ln.gamma = np.ones(dims, dtype=np.float32)
    ln.beta = np.zeros(dims, dtype=np.float32)


def _linear(linear, out_dim: int, in_dim: int, weight=None, rng=None, scale: float = 0.0) -> None:
    import numpy as np

    if weight is None:
        if rng is not None and scale:
            weight = rng.normal(0.0, scale, (out_dim, in_dim))
        else:
            weight = np.zeros((out_dim, in_dim))
    linear.weight = np.asarray(weight, dtype=np.float32)
    linear.bias = np.zeros(out_dim, dtype=np.float32)


def copy_model_spec(pieces: list[str], d_model: int = 256, max_positions: int = 512, seed: int = 7):
    """A 1+1-layer Transformer that copies its (SentencePiece) input. See the module docstring."""
    import numpy as np
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    dt = d_model // 2  # token code dimensions [0, dt); position codes in [dt, d_model)
    dp = d_model - dt
    vocab = len(pieces)
    tokens = _balanced_codes(rng, vocab, dt)
    positions = _balanced_codes(rng, max_positions, dp)
    for codes, size in ((tokens, dt), (positions, dp)):
        dots = codes @ codes.T
        np.fill_diagonal(dots, -size)
        assert dots.max() < size * 0.6, "codes too alike: change the seed"

    spec = transformer_spec.TransformerSpec.from_config((1, 1), num_heads=1)
    zero_pad = np.zeros((vocab, dp), dtype=np.float32)
    pos_table = np.concatenate([np.zeros((max_positions, dt), np.float32), positions], axis=1)

    enc = spec.encoder
    enc.scale_embeddings = False
    enc.embeddings[0].weight = np.concatenate([tokens, zero_pad], axis=1)
    enc.position_encodings.encodings = pos_table
    _layer_norm(enc.layer_norm, d_model)
    for layer in enc.layer:
        _layer_norm(layer.self_attention.layer_norm, d_model)
        _linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        _linear(layer.self_attention.linear[1], d_model, d_model)
        _layer_norm(layer.ffn.layer_norm, d_model)
        _linear(layer.ffn.linear_0, 4 * d_model, d_model)
        _linear(layer.ffn.linear_1, d_model, 4 * d_model)

    dec = spec.decoder
    dec.scale_embeddings = False
    dec.embeddings.weight = np.zeros((vocab, d_model), dtype=np.float32)
    dec.position_encodings.encodings = pos_table
    _layer_norm(dec.layer_norm, d_model)
    layer = dec.layer[0]
    _layer_norm(layer.self_attention.layer_norm, d_model)
    _linear(layer.self_attention.linear[0], 3 * d_model, d_model)
    _linear(layer.self_attention.linear[1], d_model, d_model)
    _layer_norm(layer.ffn.layer_norm, d_model)
    _linear(layer.ffn.linear_0, 4 * d_model, d_model)
    _linear(layer.ffn.linear_1, d_model, 4 * d_model)
    cross = layer.attention
    _layer_norm(cross.layer_norm, d_model)
    pos_select = np.zeros((d_model, d_model), dtype=np.float32)
    pos_select[dt:, dt:] = np.eye(dp)
    tok_select = np.zeros((d_model, d_model), dtype=np.float32)
    tok_select[:dt, :dt] = np.eye(dt)
    _linear(cross.linear[0], d_model, d_model, weight=pos_select * 4.0)  # query: my position
    _linear(cross.linear[1], 2 * d_model, d_model, weight=np.concatenate([pos_select, tok_select]))
    _linear(cross.linear[2], d_model, d_model, weight=tok_select * 4.0)  # write the token code
    _linear(dec.projection, vocab, d_model, weight=np.concatenate([tokens, zero_pad], axis=1) * 2.0)
    return spec


def random_model_spec(
    pieces: list[str],
    layers: tuple[int, int] = (6, 6),
    d_model: int = 512,
    heads: int = 8,
    ffn: int = 2048,
    stop_at: int = 40,
    max_positions: int = 1024,
    seed: int = 11,
):
    """A model of the given shape with distinct random weights that emits `stop_at` junk tokens."""
    import numpy as np
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    vocab = len(pieces)
    eos = pieces.index("</s>")
    spec = transformer_spec.TransformerSpec.from_config(layers, num_heads=heads)

    def sinusoids(scale: float = 1.0):
        pos = np.arange(max_positions)[:, None]
        freq = np.exp(-np.log(10000.0) * np.arange(0, d_model, 2) / d_model)
        table = np.zeros((max_positions, d_model), dtype=np.float32)
        table[:, 0::2] = np.sin(pos * freq)
        table[:, 1::2] = np.cos(pos * freq)
        return table * scale

    def fill_layer(layer, cross: bool) -> None:
        _layer_norm(layer.self_attention.layer_norm, d_model)
        _linear(layer.self_attention.linear[0], 3 * d_model, d_model, rng=rng, scale=0.05)
        _linear(layer.self_attention.linear[1], d_model, d_model, rng=rng, scale=0.05)
        if cross:
            _layer_norm(layer.attention.layer_norm, d_model)
            _linear(layer.attention.linear[0], d_model, d_model, rng=rng, scale=0.05)
            _linear(layer.attention.linear[1], 2 * d_model, d_model, rng=rng, scale=0.05)
            _linear(layer.attention.linear[2], d_model, d_model, rng=rng, scale=0.05)
        _layer_norm(layer.ffn.layer_norm, d_model)
        _linear(layer.ffn.linear_0, ffn, d_model, rng=rng, scale=0.05)
        _linear(layer.ffn.linear_1, d_model, ffn, rng=rng, scale=0.05)

    enc = spec.encoder
    enc.embeddings[0].weight = rng.normal(0, 0.5, (vocab, d_model)).astype(np.float32)
    enc.position_encodings.encodings = sinusoids()
    _layer_norm(enc.layer_norm, d_model)
    for layer in enc.layer:
        fill_layer(layer, cross=False)

    dec = spec.decoder
    dec.embeddings.weight = rng.normal(0, 0.5, (vocab, d_model)).astype(np.float32)
    table = sinusoids()
    stop_dim = d_model - 1  # switched on from step `stop_at`: only the </s> row reads it
    table[:, stop_dim] = 0.0
    table[stop_at:, stop_dim] = 1000.0
    dec.position_encodings.encodings = table
    _layer_norm(dec.layer_norm, d_model)
    for layer in dec.layer:
        fill_layer(layer, cross=True)
    dec.embeddings.weight[:, stop_dim] = 0.0
    for layer in dec.layer:  # no sub-layer writes into the stop dimension
        for linear in (
            layer.self_attention.linear[1],
            layer.attention.linear[2],
            layer.ffn.linear_1,
        ):
            linear.weight[stop_dim, :] = 0.0
    projection = rng.normal(0, 0.5, (vocab, d_model)).astype(np.float32)
    projection[:, stop_dim] = 0.0
    projection[eos, :] = 0.0
    projection[eos, stop_dim] = 100.0
    _linear(dec.projection, vocab, d_model, weight=projection)
    dec.projection.bias[eos] = -1000.0  # </s> only once the stop dimension is on
    return spec


def build_package(
    out_dir: Path,
    from_code: str = "ru",
    to_code: str = "en",
    kind: str = "copy",
    version: str = "1.0",
    sp_model: bytes | None = None,
    target_prefix: str | None = None,
    quantization: str = "int8",
    **shape,
) -> Path:
    """Write `translate-<from>_<to>-<version>.argosmodel` (a TEST PACKAGE) into out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sp_model = sp_model or train_sentencepiece()
    pieces = _pieces(sp_model)
    if kind == "copy":
        spec = copy_model_spec(pieces, **shape)
        spec.config.add_source_eos = True
    else:
        spec = random_model_spec(pieces, **shape)
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization=quantization)
    folder = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    metadata = {
        "package_version": version,
        "argos_version": "1.9.0",
        "type": "translate",
        "from_code": from_code,
        "from_name": f"{from_code} (TEST PACKAGE)",
        "to_code": to_code,
        "to_name": f"{to_code} (TEST PACKAGE)",
        "links": [],
        "description": TEST_NOTICE,
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    target = out_dir / f"{folder}.argosmodel"
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        model_dir.mkdir()
        spec.save(str(model_dir))
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{folder}/metadata.json", json.dumps(metadata, indent=2))
            zf.writestr(f"{folder}/README.md", f"# {folder}\n\n{TEST_NOTICE}\n")
            zf.writestr(f"{folder}/sentencepiece.model", sp_model)
            for path in sorted(model_dir.rglob("*")):
                if path.is_file():
                    zf.write(path, f"{folder}/model/{path.relative_to(model_dir)}")
    return target


def random_lines(count: int, words: int = 20, seed: int = 3) -> list[str]:
    """Shuffled words of the corpus, for throughput runs."""
    rng = random.Random(seed)
    vocabulary = " ".join(corpus()).split()
    return [" ".join(rng.choice(vocabulary) for _ in range(words)) for _ in range(count)]
