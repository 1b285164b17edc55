import keras
from keras import layers
from keras.utils import to_categorical

(x_train, y_train), _ = keras.datasets.cifar100.load_data(label_mode="fine")
x_train = x_train[:128].astype("float32") / 255.0
y_train = to_categorical(y_train[:128], 100)
model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(8, 3, strides=2, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(100, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
print("OUTPUT_SHAPE", model.predict(x_train[:2], verbose=0).shape)
