import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(30, 8)),
    layers.LSTM(64, return_sequences=True),
    layers.LSTM(32),
    layers.Dense(1),
])
