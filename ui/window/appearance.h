#pragma once

#include <QString>

#include <optional>

namespace Spawnscope::Ui {

// The window's look: the system's palette, or a light or a dark one (Colours has the few
// colours of our own that read on either).
class Appearance
{
public:
    enum class Mode { System, Light, Dark };

    // Sets the application's palette (and Fusion for Light and Dark, which honours it fully);
    // System gives back the platform's palette and style, dark when the platform says so.
    static void apply(Mode mode);
    static Mode mode();
    static QString name(Mode mode);
    static std::optional<Mode> fromName(const QString &name);
};

} // namespace Spawnscope::Ui
