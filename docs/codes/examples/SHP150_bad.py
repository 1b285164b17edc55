import keras
from keras import layers

title = keras.Input(shape=(32,))
body = keras.Input(shape=(64,))
encode = layers.Dense(16)
t = encode(title)
b = encode(body)
model = keras.Model([title, body], layers.concatenate([t, b]))
