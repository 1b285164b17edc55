import numpy as np
import keras
from keras import layers

inp = keras.Input(shape=(20,), name="features")
h = layers.Dense(64, activation="relu")(inp)
h = layers.Dense(32, activation="relu")(h)
age = layers.Dense(1, name="age")(h)
gender = layers.Dense(1, activation="sigmoid", name="gender")(h)
model = keras.Model(inputs=inp, outputs=[age, gender])
model.compile(optimizer="adam", loss={"age": "mse", "gender": "binary_crossentropy"})

X = np.random.rand(100, 20)
y_age = np.random.rand(100, 1)
y_gender = keras.utils.to_categorical(np.random.randint(0, 2, size=(100,)), 2)
model.fit(X, {"age": y_age, "gender": y_gender}, epochs=1, verbose=0)
