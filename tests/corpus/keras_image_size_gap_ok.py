import numpy as np
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(64, 64, 3)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2, activation="softmax"),
])
batch = np.random.rand(8, 48, 48, 3).astype("float32")
preds = model.predict(batch, verbose=0)
print("OUTPUT_SHAPE", preds.shape)
