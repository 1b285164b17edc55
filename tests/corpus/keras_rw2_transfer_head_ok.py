import numpy as np
from tensorflow.keras.applications import ResNet50
from tensorflow.keras.layers import Dense, Dropout, GlobalAveragePooling2D, Input
from tensorflow.keras.models import Model

NUM_CLASSES = 7
IMG_SIZE = 64

base = ResNet50(weights=None, include_top=False, input_shape=(IMG_SIZE, IMG_SIZE, 3))
for layer in base.layers:
    layer.trainable = False

inp = Input(shape=(IMG_SIZE, IMG_SIZE, 3))
x = base(inp)
x = GlobalAveragePooling2D()(x)
x = Dense(256, activation="relu")(x)
x = Dropout(0.4)(x)
out = Dense(NUM_CLASSES, activation="softmax")(x)
model = Model(inputs=inp, outputs=out)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

X = np.random.rand(8, IMG_SIZE, IMG_SIZE, 3).astype("float32")
Y = np.eye(NUM_CLASSES)[np.random.randint(0, NUM_CLASSES, 8)]
model.fit(X, Y, epochs=1, batch_size=4, verbose=0)
print("OUTPUT_SHAPE", model.predict(X[:2], verbose=0).shape)
