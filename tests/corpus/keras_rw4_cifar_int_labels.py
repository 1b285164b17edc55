import numpy as np
import keras
from keras import layers

# CIFAR-10 style classifier (labels come as integer class ids, shape (n, 1))
num_classes = 10
x_train = np.random.rand(256, 32, 32, 3).astype("float32")
y_train = np.random.randint(0, num_classes, size=(256, 1))
x_test = np.random.rand(64, 32, 32, 3).astype("float32")
y_test = np.random.randint(0, num_classes, size=(64, 1))

model = keras.Sequential([
    layers.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
    layers.Conv2D(32, (3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Dropout(0.25),
    layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
    layers.Conv2D(64, (3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(512, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(num_classes, activation="softmax"),
])

model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=1, validation_data=(x_test, y_test), verbose=0)
out = model.predict(x_test, verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
