import numpy as np
import keras
from keras import layers

config = {
    "lookback": 72,
    "horizon": 24,
    "n_features": 4,
    "units": [64, 32],
}

n = 500
X = np.random.rand(n, config["lookback"], config["n_features"]).astype("float32")
Y = np.random.rand(n, config["horizon"]).astype("float32")


def build_model(cfg):
    inp = keras.Input(shape=(cfg["lookback"], cfg["n_features"]))
    x = layers.Conv1D(32, kernel_size=3, padding="causal", activation="relu")(inp)
    x = layers.GRU(cfg["units"][0], return_sequences=True)(x)
    x = layers.GRU(cfg["units"][1])(x)
    x = layers.Dense(64, activation="relu")(x)
    out = layers.Dense(cfg["horizon"] // 2)(x)
    return keras.Model(inp, out)


model = build_model(config)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
model.fit(X[:400], Y[:400], validation_data=(X[400:], Y[400:]), epochs=1, batch_size=32, verbose=0)
out = model.predict(X[:8], verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
