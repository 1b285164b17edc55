import keras
from keras import layers

inputs = keras.Input(shape=(64, 3))
x = layers.Dense(32)(inputs)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(4, activation="softmax")(x)
model = keras.Model(inputs, outputs)
