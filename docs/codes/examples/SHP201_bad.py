import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Dense(10, activation="softmax"),
])
print(model(keras.random.normal((1, 28, 28, 1))).shape)
