import numpy as np
import keras
from keras import layers


def make_regressor(n_features, n_outputs=1):
    inp = keras.Input(shape=(n_features,))
    h = layers.Dense(64, activation="relu")(inp)
    h = layers.Dense(64, activation="relu")(h)
    out = layers.Dense(8)(h)
    return keras.Model(inp, out)


X = np.random.rand(256, 13).astype("float32")
y = np.random.rand(256, 1).astype("float32")
model = make_regressor(X.shape[1])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=2, batch_size=32, verbose=0)
pred = model.predict(X[:10], verbose=0)
print("OUTPUT_SHAPE", tuple(pred.shape))
