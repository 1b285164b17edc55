import keras
from keras import layers

inputs = keras.Input(shape=(16,))
a = layers.Dense(8)(inputs)
b = layers.Dense(16)(inputs)
outputs = layers.Add()([a, b])
model = keras.Model(inputs, outputs)
