import numpy as np
import keras
from keras import layers
from keras.utils import to_categorical

x_train = np.random.rand(100, 4).astype("float32")
y_train = to_categorical(np.random.randint(0, 3, size=(100,)), 3)
x_val = np.random.rand(20, 4).astype("float32")
y_val = np.random.randint(0, 3, size=(20,))

model = keras.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu"), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=1, verbose=0)
