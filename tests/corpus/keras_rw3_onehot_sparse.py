import numpy as np
import keras
from keras import layers

num_classes = 5
x = np.random.rand(200, 20).astype("float32")
y_int = np.random.randint(0, num_classes, size=(200,))
y = keras.utils.to_categorical(y_int, num_classes)

model = keras.Sequential()
model.add(keras.Input(shape=(20,)))
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dropout(0.3))
model.add(layers.Dense(32, activation="relu"))
model.add(layers.Dense(num_classes, activation="softmax"))

model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
out = model.predict(x[:8], verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
