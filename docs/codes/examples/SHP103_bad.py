import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(30, 8)),
    layers.LSTM(64),
    layers.LSTM(32),
    layers.Dense(1),
])
