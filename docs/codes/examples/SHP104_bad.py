import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(8, 8, 3)),
    layers.MaxPooling2D(4),
    layers.Conv2D(16, 3),
])
