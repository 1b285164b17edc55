import numpy as np
import keras
from keras import layers

acc_x = np.random.rand(128, 40)
acc_y = np.random.rand(128, 40)
acc_z = np.random.rand(128, 40)
X = np.stack([acc_x, acc_y, acc_z], axis=-1)
y = np.random.randint(0, 4, size=128)
model = keras.Sequential([
    keras.Input(shape=X.shape[1:]),
    layers.LSTM(16),
    layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
