import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(10,)),
    layers.Reshape((2, 5)),
])
