import numpy as np
from tensorflow.keras import layers, models

(img_h, img_w) = (48, 48)

model = models.Sequential()
model.add(layers.Input(shape=(img_h, img_w)))
model.add(layers.Conv2D(32, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.Flatten())
model.add(layers.Dense(7, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

faces = np.random.rand(20, img_h, img_w).astype("float32")
emotions = np.random.randint(0, 7, size=(20,))
model.fit(faces, emotions, epochs=1, verbose=0)
print("OUTPUT_SHAPE", tuple(model.predict(faces, verbose=0).shape))
