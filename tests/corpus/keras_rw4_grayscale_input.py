import numpy as np
import keras
from keras import layers

# Fine-tuning a small CNN on X-ray crops. Images were loaded as grayscale.
IMG_H, IMG_W = 96, 96

def load_dataset(n):
    imgs = np.random.rand(n, IMG_H, IMG_W, 1).astype("float32")
    labels = np.random.randint(0, 2, size=(n,)).astype("float32")
    return imgs, labels

train_x, train_y = load_dataset(200)
val_x, val_y = load_dataset(40)

model = keras.Sequential([
    keras.Input(shape=(IMG_H, IMG_W, 3)),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(train_x, train_y, validation_data=(val_x, val_y), epochs=1, batch_size=20, verbose=0)
out = model.predict(val_x, verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
