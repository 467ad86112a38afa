namespace RnnRunner.Core.Specs.Schema;

/// <summary>
/// What a Keras user writes from memory that means something else here, and what to write instead. Keras' spellings
/// with the same meaning are accepted where they are declared (<see cref="SpecNameAttribute.Keras"/>,
/// <see cref="SpecAliasAttribute"/>); these are the ones that are not, each with the reason in Keras' own terms.
/// </summary>
public static class KerasHints
{
    private static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["lr"] = "Keras' old name for learning_rate: write learning_rate",
        ["input_shape"] = "the input's shape comes from the data (data.sequence_length and the dataset's features), so no layer states it",
        ["input_length"] = "the sequence length comes from the data (data.sequence_length), so the embedding does not state it",
        ["batch_input_shape"] = "the input's shape comes from the data, and the batch size from training.batch_size",
        ["recurrent_dropout"] = "not supported: RnnRunner drops a recurrent layer's inputs (dropout), not its recurrent state",
        ["epsilon_decay"] = "not an optimizer setting here",
        ["decay"] = "Keras' old per-step decay is not supported: use training.reduce_lr_on_plateau",
        ["merge_mode"] = "a setting of the bidirectional layer, beside its layer:",
        ["validation_data"] = "validation comes from training.validation_split of the training data",
    };

    private static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Masking"] = "Keras' Masking layer is the embedding's mask_zero: true here (id 0 is padding)",
        ["Input"] = "no Input layer: the input's shape comes from the data",
        ["InputLayer"] = "no Input layer: the input's shape comes from the data",
        ["Flatten"] = "no Flatten: end the recurrent stack with return_sequences: false, or pool with global_max_pooling / global_average_pooling",
        ["Activation"] = "no Activation layer: give the dense layer its activation",
        ["TimeDistributed"] = "no TimeDistributed wrapper: a dense layer after a sequence is applied at every step already",
        ["Conv1D"] = "Keras' Conv1D is not a layer here: RnnRunner builds recurrent models (simple_rnn, lstm, gru, bidirectional)",
        ["Attention"] = "Keras' Attention is not a layer here: RnnRunner builds recurrent models (simple_rnn, lstm, gru, bidirectional)",
        ["BatchNormalization"] = "Keras' BatchNormalization is not a layer here",
        ["LayerNormalization"] = "Keras' LayerNormalization is not a layer here",
        ["AdamW"] = "Keras' AdamW is not an optimizer here: use adam (and dropout for regularisation)",
        ["Adagrad"] = "Keras' Adagrad is not an optimizer here: use rmsprop, adam or sgd",
        ["Nadam"] = "Keras' Nadam is not an optimizer here: use adam",
    };

    /// <summary>Why a key Keras knows is not a key here, or null for a key Keras does not know either.</summary>
    public static string? ForKey(string key) => Keys.GetValueOrDefault(key);

    /// <summary>Why a type name Keras knows is not one here, or null.</summary>
    public static string? ForType(string type) => Types.GetValueOrDefault(type);
}
