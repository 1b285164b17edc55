import keras
from keras import layers

a = keras.Input(shape=(8,))
b = keras.Input(shape=(8,))
merged = layers.Concatenate(axis=-1)([layers.Dense(4)(a), layers.Dense(4)(b)])
model = keras.Model([a, b], layers.Dense(1)(merged))
