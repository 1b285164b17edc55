import keras
from keras import layers

kernel = 3

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(16, kernel),
    layers.Flatten(),
    layers.Dense(10),
])
