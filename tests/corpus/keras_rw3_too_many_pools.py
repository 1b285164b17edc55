import numpy as np
import keras
from keras import layers

model = keras.Sequential()
model.add(keras.Input(shape=(32, 32, 3)))
for filters in [32, 64, 128, 256, 512, 512]:
    model.add(layers.Conv2D(filters, (3, 3), padding="same", activation="relu"))
    model.add(layers.Conv2D(filters, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D(pool_size=(2, 2)))
model.add(layers.Flatten())
model.add(layers.Dense(256, activation="relu"))
model.add(layers.Dense(10, activation="softmax"))

model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
x = np.random.rand(8, 32, 32, 3).astype("float32")
y = np.random.randint(0, 10, (8,))
model.fit(x, y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", tuple(model.predict(x, verbose=0).shape))
