import keras
from keras import layers

title = keras.Input(shape=(32,))
body = keras.Input(shape=(64,))
t = layers.Dense(16)(title)
b = layers.Dense(16)(body)
model = keras.Model([title, body], layers.concatenate([t, b]))
