import numpy as np
import keras
from keras import layers

img_height, img_width = 180, 180
num_classes = 5

data_augmentation = keras.Sequential(
    [
        layers.RandomFlip("horizontal", input_shape=(img_height, img_width, 3)),
        layers.RandomRotation(0.1),
        layers.RandomZoom(0.1),
    ]
)

model = keras.Sequential([
    data_augmentation,
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Dropout(0.2),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(num_classes, name="outputs"),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
x = np.random.rand(8, img_height, img_width, 3).astype("float32") * 255
y = np.random.randint(0, num_classes, size=(8,))
model.fit(x, y, validation_data=(x, y), epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(x[:2], verbose=0).shape)
