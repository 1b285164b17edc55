import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(16000,)),
    layers.Reshape((100, 160)),
    layers.Flatten(),
    layers.Dense(4),
])
