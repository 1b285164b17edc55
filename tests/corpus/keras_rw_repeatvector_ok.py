import numpy as np
import tensorflow as tf

n_in, n_out, n_features = 10, 5, 1
seq = np.arange(200, dtype="float32") / 200.0
X = np.array([seq[i:i + n_in] for i in range(150)]).reshape((150, n_in, n_features))
y = np.array([seq[i + n_in:i + n_in + n_out] for i in range(150)]).reshape((150, n_out, n_features))

model = tf.keras.Sequential()
model.add(tf.keras.layers.LSTM(100, activation="relu", input_shape=(n_in, n_features)))
model.add(tf.keras.layers.RepeatVector(n_out))
model.add(tf.keras.layers.LSTM(100, activation="relu", return_sequences=True))
model.add(tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(1)))
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(X[:3], verbose=0).shape)
