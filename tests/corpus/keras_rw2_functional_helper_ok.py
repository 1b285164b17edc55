import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def conv_block(x, filters, name):
    x = layers.Conv2D(filters, 3, padding="same", name=f"{name}_conv")(x)
    x = layers.BatchNormalization(name=f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    return layers.MaxPooling2D(2, name=f"{name}_pool")(x)


def build_model(input_shape=(64, 64, 3), num_classes=5):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for i, f in enumerate([32, 64, 128]):
        x = conv_block(x, f, name=f"block{i + 1}")
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="small_cnn")


model = build_model()
model.summary()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x_train = np.random.rand(32, 64, 64, 3).astype("float32")
y_train = np.random.randint(0, 5, size=(32,))
callbacks = [
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2),
]
history = model.fit(x_train, y_train, validation_split=0.25, epochs=1, batch_size=8,
                    callbacks=callbacks, verbose=0)
print("OUTPUT_SHAPE", model.predict(x_train[:2], verbose=0).shape)
