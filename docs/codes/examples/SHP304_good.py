import numpy as np
import keras
from keras import layers

model = keras.Sequential([layers.Input(shape=(10,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
x = np.random.rand(5, 10)
print(model.predict(x, verbose=0).shape)
