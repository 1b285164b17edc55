import numpy as np
import keras
from keras import layers
from keras.utils import to_categorical


def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Input(shape=(32, 32, 3)))
    for i, filters in enumerate(hp["filters"]):
        model.add(layers.Conv2D(filters, kernel_size=hp["kernel"], padding="same", activation="relu",
                                name=f"conv_{i}"))
        model.add(layers.BatchNormalization())
        model.add(layers.MaxPooling2D(pool_size=2))
    model.add(layers.Flatten())
    for units in hp["dense_units"]:
        model.add(layers.Dense(units, activation="relu"))
        model.add(layers.Dropout(hp["dropout"]))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(hp["lr"]), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


hp = {"filters": [32, 64, 128], "kernel": 3, "dense_units": [256, 64], "dropout": 0.3, "lr": 1e-3}
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train[:128].astype("float32") / 255
y_train = to_categorical(y_train[:128], 10)
model = build_model(hp)
model.fit(x_train, y_train, epochs=1, batch_size=32, validation_split=0.2, verbose=0)
print("OUTPUT_SHAPE", model.predict(x_test[:2], verbose=0).shape)
