#!/usr/bin/env python3
"""Writes the broken-spec corpus: one defect per file, the expected error fragment on the first line.

Run from this folder: python3 generate.py. The test (BrokenSpecCorpusTests) loads every file and checks that the
loader refuses it with a clean, located error containing that fragment -- never another exception.
"""
import os, re

BASE = """name: tiny
seed: 7
data:
  dataset: counting_sentiment
  vocabulary_size: 12
  sequence_length: 10
  train_samples: 600
  test_samples: 200
model:
  - type: embedding
    input_dim: 12
    output_dim: 8
  - type: simple_rnn
    units: 16
  - type: dense
    units: 1
    activation: sigmoid
training:
  epochs: 3
  batch_size: 32
  optimizer:
    type: rmsprop
    learning_rate: 0.005
  loss: binary_crossentropy
  metrics: [accuracy]
  validation_split: 0.2
"""

cases = []
def case(name, expect, text):
    cases.append((name, expect, text))

def sub(old, new, count=1):
    assert old in BASE, old
    return BASE.replace(old, new, count)

# Wrong types, one per scalar setting.
for key, old, bad in [
    ("seed", "seed: 7", "seed: seven"), ("seed-float", "seed: 7", "seed: 7.5"), ("seed-list", "seed: 7", "seed: [7]"),
    ("vocab", "vocabulary_size: 12", "vocabulary_size: twelve"), ("seqlen", "sequence_length: 10", "sequence_length: '10'"),
    ("train-samples", "train_samples: 600", "train_samples: {n: 600}"), ("test-samples", "test_samples: 200", "test_samples: true"),
    ("input-dim", "input_dim: 12", "input_dim: 12.5"), ("output-dim", "output_dim: 8", "output_dim: eight"),
    ("units", "units: 16", "units: sixteen"), ("dense-units", "units: 1\n", "units: [1]\n"),
    ("epochs", "epochs: 3", "epochs: 3.0.0"), ("batch", "batch_size: 32", "batch_size: \"32\""),
    ("lr", "learning_rate: 0.005", "learning_rate: fast"), ("lr-list", "learning_rate: 0.005", "learning_rate: [0.005]"),
    ("split", "validation_split: 0.2", "validation_split: twenty percent"), ("metrics", "metrics: [accuracy]", "metrics: accuracy"),
    ("model-mapping", "model:\n  - type: embedding", "model:\n  first:\n    type: embedding"),
    ("name-list", "name: tiny", "name: [tiny]"), ("data-scalar", "data:\n  dataset", "data: 42\nx:\n  dataset"),
    ("shuffle", "validation_split: 0.2", "validation_split: 0.2\n  shuffle: maybe"),
    ("return-seq", "units: 16", "units: 16\n    return_sequences: yes"),
    ("clip", "validation_split: 0.2", "validation_split: 0.2\n  clip_grad_norm: big"),
]:
    case(f"type-{key}", "expected", sub(old, bad))

# Out of range values.
for key, old, bad, expect in [
    ("units-zero", "units: 16", "units: 0", "out of range"), ("units-negative", "units: 16", "units: -4", "out of range"),
    ("units-huge", "units: 16", "units: 1000000000000", "for its recurrent weights alone"), ("units-over-max", "units: 16", "units: 70000", "out of range"),
    ("epochs-zero", "epochs: 3", "epochs: 0", "out of range"), ("batch-zero", "batch_size: 32", "batch_size: 0", "out of range"),
    ("lr-zero", "learning_rate: 0.005", "learning_rate: 0", "out of range"), ("lr-negative", "learning_rate: 0.005", "learning_rate: -0.1", "out of range"),
    ("lr-nan", "learning_rate: 0.005", "learning_rate: .nan", "finite"), ("lr-inf", "learning_rate: 0.005", "learning_rate: .inf", "finite"),
    ("split-one", "validation_split: 0.2", "validation_split: 1.0", "out of range"), ("split-negative", "validation_split: 0.2", "validation_split: -0.1", "out of range"),
    ("seed-negative", "seed: 7", "seed: -1", "out of range"), ("vocab-tiny", "vocabulary_size: 12", "vocabulary_size: 2", "out of range"),
    ("seqlen-zero", "sequence_length: 10", "sequence_length: 0", "out of range"), ("output-dim-zero", "output_dim: 8", "output_dim: 0", "out of range"),
    ("input-dim-huge", "input_dim: 12", "input_dim: 99999999999", "out of range"), ("dropout-one", "units: 16", "units: 16\n    dropout: 1", "out of range"),
    ("dropout-negative", "units: 16", "units: 16\n    dropout: -0.5", "out of range"), ("rho-one", "learning_rate: 0.005", "learning_rate: 0.005\n    rho: 1", "out of range"),
    ("epsilon-zero", "learning_rate: 0.005", "learning_rate: 0.005\n    epsilon: 0", "out of range"), ("train-samples-zero", "train_samples: 600", "train_samples: 0", "out of range"),
    ("clip-zero", "validation_split: 0.2", "validation_split: 0.2\n  clip_grad_norm: 0", "out of range"),
    ("patience-negative", "validation_split: 0.2", "validation_split: 0.2\n  early_stopping:\n    patience: -1", "out of range"),
    ("epochs-exponent", "epochs: 3", "epochs: 1e12", "out of range"),
]:
    case(f"range-{key}", expect, sub(old, bad))

# Unknown keys, at every level, with and without a close match.
for key, old, bad, expect in [
    ("top", "seed: 7", "seed: 7\nsed: 8", "unknown key"), ("top-typo", "seed: 7", "seeed: 7", "did you mean 'seed'"),
    ("data", "vocabulary_size: 12", "vocab_size: 12", "unknown key"), ("layer", "units: 16", "unit: 16", "did you mean 'units'"),
    ("embedding", "output_dim: 8", "output_dims: 8", "did you mean 'output_dim'"), ("training", "epochs: 3", "epoch: 3", "did you mean 'epochs'"),
    ("optimizer", "learning_rate: 0.005", "lr: 0.005", "unknown key"), ("optimizer-adam-key", "learning_rate: 0.005", "learning_rate: 0.005\n    beta_1: 0.9", "unknown key"),
    ("dense", "activation: sigmoid", "activation: sigmoid\n    use_bias: true", "unknown key"), ("hiden-size", "units: 16", "units: 16\n    hiden_size: 32", "unknown key"),
    ("early", "validation_split: 0.2", "validation_split: 0.2\n  early_stopping:\n    patiense: 2", "did you mean 'patience'"),
    ("keras-name", "units: 16", "units: 16\n    recurrent_dropout: 0.2", "unknown key"), ("data-path", "vocabulary_size: 12", "vocabulary_size: 12\n  path: x", "unknown key"),
]:
    case(f"unknown-{key}", expect, sub(old, bad))

# Missing required values.
for key, old, expect in [
    ("name", "name: tiny\n", "missing required"), ("data", None, "missing required"), ("model", None, "missing required"),
    ("training", None, "missing required"), ("loss", "  loss: binary_crossentropy\n", "missing required"),
    ("units", "    units: 16\n", "missing required"), ("input-dim", "    input_dim: 12\n", "missing required"),
    ("dense-units", "    units: 1\n", "missing required"), ("layer-type", "  - type: simple_rnn\n    units: 16", "missing 'type'"),
    ("dataset", "  dataset: counting_sentiment\n", "missing 'dataset'"), ("optimizer-type", "    type: rmsprop\n", "missing 'type'"),
]:
    if old is None:
        text = BASE
        block = {"data": r"data:\n(  .*\n)+", "model": r"model:\n(  .*\n)+", "training": r"training:\n(  .*\n)+"}[key]
        text = re.sub(block, "", text, count=1)
    elif key == "layer-type":
        text = sub(old, "  - units: 16")
    else:
        text = sub(old, "")
    case(f"missing-{key}", expect, text)

# Enumerations and union tags.
for key, old, bad, expect in [
    ("activation", "activation: sigmoid", "activation: sigmod", "did you mean 'sigmoid'"), ("activation-case", "activation: sigmoid", "activation: Sigmoid", "not one of"),
    ("loss", "loss: binary_crossentropy", "loss: bce", "not one of"), ("loss-typo", "loss: binary_crossentropy", "loss: binary_crossentropyy", "did you mean"),
    ("metric", "metrics: [accuracy]", "metrics: [f1_score]", "not one of"), ("engine", "seed: 7", "seed: 7\nengine: pytorch", "not one of"),
    ("device", "seed: 7", "seed: 7\ndevice: gpu", "not one of"), ("layer-type", "type: simple_rnn", "type: Conv1D", "Keras' Conv1D is not a layer here"),
    ("layer-type-typo", "type: simple_rnn", "type: simple_rn", "did you mean 'simple_rnn'"), ("optimizer", "type: rmsprop", "type: adamw", "not one of"),
    ("dataset", "dataset: counting_sentiment", "dataset: mnist", "not one of"), ("merge", "  - type: simple_rnn\n    units: 16", "  - type: bidirectional\n    merge_mode: max\n    layer: {type: lstm, units: 4}", "not one of"),
    ("simple-rnn-activation", "units: 16", "units: 16\n    activation: swish", "not one of"),
    ("simple-rnn-sigmoid", "units: 16", "units: 16\n    activation: sigmoid", "simple_rnn takes tanh or relu, not sigmoid"),
    ("mode", "validation_split: 0.2", "validation_split: 0.2\n  early_stopping:\n    mode: maximise", "not one of"),
    ("bidirectional-dense", "  - type: simple_rnn\n    units: 16", "  - type: bidirectional\n    layer: {type: dense, units: 4}", "cannot be used in this position"),
    ("padding", "dataset: counting_sentiment", "dataset: imdb\n  padding: left", "not one of"),
]:
    case(f"enum-{key}", expect, sub(old, bad))

# Architecture errors found by shape inference and cross-field checks.
for key, text, expect in [
    ("stacked-without-sequences", sub("  - type: dense\n    units: 1", "  - type: lstm\n    units: 4\n  - type: dense\n    units: 1"), "return_sequences: true"),
    ("embedding-too-small", sub("input_dim: 12", "input_dim: 5"), "smaller than the vocabulary"),
    ("no-embedding", sub("  - type: embedding\n    input_dim: 12\n    output_dim: 8\n", ""), "must be an embedding"),
    ("embedding-twice", sub("  - type: simple_rnn", "  - type: embedding\n    input_dim: 12\n    output_dim: 8\n  - type: simple_rnn"), "only be the first layer"),
    ("linear-output-bce", sub("activation: sigmoid", "activation: linear"), "activation sigmoid"),
    ("softmax-with-bce", sub("activation: sigmoid", "activation: softmax"), "activation sigmoid"),
    ("two-outputs", sub("units: 1\n", "units: 2\n"), "need 1"),
    ("wrong-loss", sub("loss: binary_crossentropy", "loss: sparse_categorical_crossentropy"), "does not fit these targets"),
    ("sequence-output-for-label", sub("units: 16", "units: 16\n    return_sequences: true"), "return_sequences: false"),
    ("accuracy-for-regression", "name: tiny\ndata:\n  dataset: noisy_sine\nmodel:\n  - type: lstm\n    units: 8\n    return_sequences: true\n  - type: dense\n    units: 1\ntraining:\n  loss: mse\n  metrics: [accuracy]\n", "accuracy needs class targets"),
    ("echo-without-sequences", sub("dataset: counting_sentiment", "dataset: delayed_echo").replace("units: 1\n    activation: sigmoid", "units: 12\n    activation: softmax").replace("loss: binary_crossentropy", "loss: sparse_categorical_crossentropy"), "one value per time step"),
    ("monitor-unknown", BASE + "  early_stopping:\n    monitor: val_acc\n", "did you mean 'val_accuracy'"),
    ("monitor-without-validation", sub("validation_split: 0.2", "validation_split: 0") + "  early_stopping:\n    monitor: val_loss\n", "validation_split > 0"),
    ("metric-twice", sub("metrics: [accuracy]", "metrics: [accuracy, accuracy]"), "twice"),
    ("plateau-monitor-unknown", BASE + "  reduce_lr_on_plateau:\n    monitor: val_acc\n", "did you mean 'val_accuracy'"),
    ("name-slash", sub("name: tiny", "name: a/b"), "cannot name a results folder"),
    ("name-dots", sub("name: tiny", "name: .."), "cannot name a results folder"),
    ("empty-model", re.sub(r"model:\n(  .*\n)+", "model: []\n", BASE, count=1), "no layers"),
    ("imdb-collision", sub("dataset: counting_sentiment\n  vocabulary_size: 12\n  sequence_length: 10\n  train_samples: 600\n  test_samples: 200", "dataset: imdb\n  oov_char: 5\n  num_words: 12\n  maxlen: 10"), "collides with word ids"),
    ("imdb-no-words", sub("dataset: counting_sentiment\n  vocabulary_size: 12\n  sequence_length: 10\n  train_samples: 600\n  test_samples: 200", "dataset: imdb\n  num_words: 4\n  maxlen: 10").replace("input_dim: 12", "input_dim: 4"), "leaves no word ids"),
    ("imdb-start-is-padding", sub("dataset: counting_sentiment\n  vocabulary_size: 12\n  sequence_length: 10\n  train_samples: 600\n  test_samples: 200", "dataset: imdb\n  start_char: 0\n  num_words: 12\n  maxlen: 10"), "padding id"),
    ("mask-zero-on-real-zeros", sub("output_dim: 8", "output_dim: 8\n    mask_zero: true"), "id 0 as a real token"),
    ("pooling-after-last-state", sub("  - type: dense\n    units: 1", "  - type: global_max_pooling\n  - type: dense\n    units: 1"), "needs a sequence input"),
    ("bucket-width-zero", BASE + "  batching: {by_length: true, bucket_width: 0}\n", "out of range"),
    ("min-length-negative", sub("sequence_length: 10", "sequence_length: 10\n  min_length: -1"), "out of range"),
    ("split-leaves-nothing", sub("train_samples: 600", "train_samples: 1").replace("validation_split: 0.2", "validation_split: 0.9"), "leaves no training examples"),
]:
    case(f"shape-{key}", expect, text)

# Hostile or malformed YAML.
case("yaml-unclosed-bracket", "not valid YAML", sub("metrics: [accuracy]", "metrics: [accuracy"))
case("yaml-unclosed-quote", "not valid YAML", sub("name: tiny", "name: \"tiny"))
case("yaml-bad-indent", "not valid YAML", sub("    units: 16", "   units: 16"))
case("yaml-tab-indent", "not valid YAML", sub("    units: 16", "\tunits: 16"))
case("yaml-duplicate-key", "repeats the key", sub("seed: 7", "seed: 7\nseed: 8"))
case("yaml-duplicate-nested", "repeats the key", sub("units: 16", "units: 16\n    units: 32"))
case("yaml-two-documents", "several YAML documents", BASE + "---\nname: other\n")
case("yaml-empty", "is empty", "")
case("yaml-only-comments", "is empty", "# nothing here\n# at all\n")
case("yaml-null-document", "is empty", "~\n")
case("yaml-scalar-document", "expected a mapping", "just a string\n")
case("yaml-list-document", "expected a mapping", "- name: tiny\n")
case("yaml-alias-bomb", "expands to more than", "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98+i)}: &{chr(98+i)} [{','.join(['*' + chr(97+i)]*10)}]\n" for i in range(8)))
case("yaml-deep-nesting", "nests deeper than", "name: " + "[" * 100 + "]" * 100 + "\n")
case("yaml-undefined-alias", "undefined alias", sub("units: 16", "units: *nowhere"))
case("yaml-complex-key", "as a key", "? [a, b]\n: 1\n")
case("yaml-key-without-value-tab", "not valid YAML", "name:\ttiny\n\tseed: 7\n")
case("yaml-unknown-directive", "missing required", "%FOO bar\n---\nname: x\n")
case("yaml-unterminated-flow-map", "not valid YAML", sub("metrics: [accuracy]", "metrics: {accuracy"))
case("yaml-stray-colon", "not valid YAML", sub("name: tiny", "name: tiny: again"))

os.makedirs(".", exist_ok=True)
for f in os.listdir("."):
    if f.endswith(".yaml"):
        os.remove(f)
for name, expect, text in cases:
    with open(f"{name}.yaml", "w", encoding="utf-8") as out:
        out.write(f"# expect: {expect}\n{text}")
# Bytes that are not UTF-8 (written raw).
with open("bytes-invalid-utf8.yaml", "wb") as out:
    out.write(b"# expect: not valid UTF-8\nname: tiny\nseed: \xff\xfe\n")
with open("bytes-nul.yaml", "wb") as out:
    out.write(b"# expect: \nname: ti\x00ny\n")
print(len(cases) + 2, "files")
