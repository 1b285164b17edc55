import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(16000,)),
    layers.MelSpectrogram(num_mel_bins=64),
    layers.Flatten(),
    layers.Dense(4),
])
