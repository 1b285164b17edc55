import numpy as np
import keras
from keras import layers

NUM_NUMERIC = 8
CAT_CARDINALITIES = {"city": 50, "device": 6, "plan": 4}
EMB_DIM = 8


class WideAndDeep(keras.Model):
    def __init__(self, cardinalities, emb_dim, hidden=(128, 64)):
        super().__init__()
        self.names = list(cardinalities)
        self.embeddings = [layers.Embedding(cardinalities[n], emb_dim) for n in self.names]
        self.flat = layers.Flatten()
        self.deep = [layers.Dense(h, activation="relu") for h in hidden]
        self.norm = layers.BatchNormalization()
        self.wide = layers.Dense(1)
        self.deep_out = layers.Dense(1)

    def call(self, inputs):
        numeric, cats = inputs
        embs = [self.flat(emb(cats[:, i:i + 1])) for i, emb in enumerate(self.embeddings)]
        deep = layers.concatenate(embs + [numeric])
        deep = self.norm(deep)
        for dense in self.deep:
            deep = dense(deep)
        logit = self.wide(numeric) + self.deep_out(deep)
        return keras.activations.sigmoid(logit)


model = WideAndDeep(CAT_CARDINALITIES, EMB_DIM)
model.compile(optimizer="adam", loss="binary_crossentropy")

n = 256
numeric = np.random.rand(n, NUM_NUMERIC).astype("float32")
cats = np.stack([np.random.randint(0, c, size=n) for c in CAT_CARDINALITIES.values()], axis=1)
labels = np.random.randint(0, 2, size=(n, 1)).astype("float32")
model.fit((numeric, cats), labels, epochs=1, batch_size=64, verbose=0)
out = model.predict((numeric[:9], cats[:9]), verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
