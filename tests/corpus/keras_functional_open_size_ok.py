import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(None, None, 1))
x = layers.Conv2D(8, 3, activation="relu")(inputs)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
images = np.random.rand(16, 32, 32).astype("float32")
model.fit(images, np.random.randint(0, 10, size=(16,)), epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(images[:2], verbose=0).shape)
