import numpy as np
import keras
from keras import layers

VOCAB = 15000
SEQ_LEN = 120
NUM_CLASSES = 5

def build_classifier(vocab=VOCAB, seq_len=SEQ_LEN, n_classes=NUM_CLASSES, emb=100, rnn_units=64):
    inp = layers.Input(shape=(seq_len,), dtype="int32")
    x = layers.Embedding(vocab, emb, mask_zero=True)(inp)
    x = layers.SpatialDropout1D(0.2)(x)
    x = layers.Bidirectional(layers.GRU(rnn_units, return_sequences=True))(x)
    avg = layers.GlobalAveragePooling1D()(x)
    mx = layers.GlobalMaxPooling1D()(x)
    x = layers.concatenate([avg, mx])
    x = layers.Dense(64, activation="relu")(x)
    out = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inp, out)

model = build_classifier()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

X = np.random.randint(1, VOCAB, size=(300, SEQ_LEN))
y = np.random.randint(0, NUM_CLASSES, size=(300,))
model.fit(X, y, validation_split=0.1, epochs=1, batch_size=32, verbose=0)
out = model.predict(X[:7], verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
