import numpy as np
import keras
from keras import layers

x = np.random.rand(60, 4).astype("float32")
y_onehot = np.eye(3)[np.random.randint(0, 3, size=(60,))]
y = np.argmax(y_onehot, axis=1)

model = keras.Sequential([
    layers.Input(shape=(4,)),
    layers.Dense(10, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(loss=keras.losses.CategoricalCrossentropy(), optimizer="adam")
model.fit(x, y, epochs=1, verbose=0)
